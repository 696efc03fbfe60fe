"""A pyHanko font engine factory that keeps the font in memory.

pyHanko's ``GlyphAccumulatorFactory`` opens its font file for every signature and never
closes it (a ResourceWarning each time, and file handles held until garbage collection),
and the embedded subset carries the time it was made.
Imported only when pyHanko's "opentype" extra (fontTools, uharfbuzz) is installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.writer import BasePdfFileWriter


@dataclass(frozen=True)
class InMemoryFontFactory(GlyphAccumulatorFactory):
    font_bytes: bytes = b""

    def create_font_engine(
        self, writer: BasePdfFileWriter, obj_stream: object = None
    ) -> GlyphAccumulator:
        # Same as pyHanko's, reading from memory instead of an unclosed file.
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()  # type: ignore[no-untyped-call]
        engine = GlyphAccumulator(
            writer=writer,
            font_handle=BytesIO(self.font_bytes),
            font_size=self.font_size,
            ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )
        # fontTools stamps "now" into the subset's head table: keep the font's own date, so
        # the same signature gives the same bytes.
        engine.tt.recalcTimestamp = False
        return engine
