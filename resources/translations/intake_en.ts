<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="vi_VN">
<context>
    <name>AuditModel</name>
    <message>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <source>Chủ hồ sơ</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>Thành phần</source>
        <translation>Component</translation>
    </message>
    <message>
        <source>Kết luận hiện nay</source>
        <translation>Verdict now</translation>
    </message>
    <message>
        <source>Khi quyết định</source>
        <translation>At decision</translation>
    </message>
    <message>
        <source>Người ký</source>
        <translation>Signer</translation>
    </message>
    <message>
        <source>Tổ chức cung cấp</source>
        <translation>Provider</translation>
    </message>
    <message>
        <source>Quyết định</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>Cán bộ</source>
        <translation>Officer</translation>
    </message>
    <message>
        <source>Lúc</source>
        <translation>At</translation>
    </message>
    <message>
        <source>Tệp trên máy chủ không còn là tệp cán bộ đã xem khi quyết định</source>
        <translation>The file on the server is no longer the one the officer saw when deciding</translation>
    </message>
    <message>
        <source>Kiểm tra lúc %1</source>
        <translation>Checked at %1</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>Mọi ngày</source>
        <translation>All dates</translation>
    </message>
    <message>
        <source>Mọi quyết định</source>
        <translation>All decisions</translation>
    </message>
    <message>
        <source>Chưa quyết định</source>
        <translation>Undecided</translation>
    </message>
    <message>
        <source>Mọi kết luận</source>
        <translation>All verdicts</translation>
    </message>
    <message>
        <source>Tiếp nhận dù chữ ký có vấn đề</source>
        <translation>Accepted despite signature problems</translation>
    </message>
    <message>
        <source>Kết luận đã đổi từ khi quyết định</source>
        <translation>Verdict changed since the decision</translation>
    </message>
    <message>
        <source>Tệp đã khác tệp cán bộ xem khi quyết định</source>
        <translation>File changed since the decision</translation>
    </message>
    <message>
        <source>Không hợp lệ</source>
        <translation>Invalid</translation>
    </message>
    <message>
        <source>Chưa xác định được</source>
        <translation>Indeterminate</translation>
    </message>
    <message>
        <source>Hợp lệ, có lưu ý</source>
        <translation>Valid with warnings</translation>
    </message>
    <message>
        <source>Hợp lệ</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>Chưa ký</source>
        <translation>Unsigned</translation>
    </message>
    <message>
        <source>Chưa kiểm tra</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <source>Tổ chức cung cấp (VNPT, Viettel…)</source>
        <translation>Provider (VNPT, Viettel…)</translation>
    </message>
    <message>
        <source>Mã hồ sơ, chủ hồ sơ, tệp…</source>
        <translation>Dossier code, applicant, file…</translation>
    </message>
    <message>
        <source>Người ký khác chủ hồ sơ</source>
        <translation>Signer is not the applicant</translation>
    </message>
    <message>
        <source>Từ</source>
        <translation>From</translation>
    </message>
    <message>
        <source>đến</source>
        <translation>to</translation>
    </message>
    <message>
        <source>Kết luận theo tuần</source>
        <translation>Verdicts per week</translation>
    </message>
    <message>
        <source>Vấn đề theo loại</source>
        <translation>Problems by kind</translation>
    </message>
    <message>
        <source>Tệp có vấn đề theo tổ chức cung cấp</source>
        <translation>Files with problems by provider</translation>
    </message>
    <message>
        <source>Tệp có vấn đề theo thủ tục</source>
        <translation>Files with problems by procedure</translation>
    </message>
    <message>
        <source>Kết luận chữ ký số</source>
        <translation>Signature verdicts</translation>
    </message>
    <message>
        <source>Kiểm tra lại các tệp đang lọc</source>
        <translation>Re-check the filtered files</translation>
    </message>
    <message>
        <source>Dừng</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Xuất CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <source>Xuất Excel…</source>
        <translation>Export Excel…</translation>
    </message>
    <message>
        <source>Xuất báo cáo PDF…</source>
        <translation>Export PDF report…</translation>
    </message>
    <message>
        <source>Đang tải dữ liệu…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Mọi cán bộ</source>
        <translation>All officers</translation>
    </message>
    <message>
        <source>%1 hồ sơ, %2 tệp; %3 hồ sơ đã quyết định; %4 tệp có vấn đề.</source>
        <translation>%1 dossiers, %2 files; %3 dossiers decided; %4 files with problems.</translation>
    </message>
    <message>
        <source>Đang dừng…</source>
        <translation>Stopping…</translation>
    </message>
    <message>
        <source>Đã kiểm tra lại %1 tệp, %2 tệp đổi kết luận.</source>
        <translation>Re-checked %1 files, %2 changed verdict.</translation>
    </message>
    <message>
        <source>(đã dừng giữa chừng)</source>
        <translation>(stopped part-way)</translation>
    </message>
    <message>
        <source>%1 tệp không còn trong bộ nhớ đệm.</source>
        <translation>%1 files are no longer in the cache.</translation>
    </message>
    <message>
        <source>Xuất dữ liệu kiểm tra</source>
        <translation>Export audit data</translation>
    </message>
    <message>
        <source>Đã xuất: %1</source>
        <translation>Exported: %1</translation>
    </message>
</context>
<context>
    <name>Checklist</name>
    <message>
        <source>Thành phần hồ sơ</source>
        <translation>Dossier component</translation>
    </message>
    <message>
        <source>Bản</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Chữ ký số</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>Khi: %1</source>
        <translation>When: %1</translation>
    </message>
    <message>
        <source>Bản chính</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>Bản sao</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>THIẾU (bắt buộc)</source>
        <translation>MISSING (required)</translation>
    </message>
    <message>
        <source>Không nộp (tùy trường hợp)</source>
        <translation>Not submitted (depends on the case)</translation>
    </message>
    <message>
        <source>Lỗi tải tệp</source>
        <translation>Download error</translation>
    </message>
    <message>
        <source>Chưa kiểm tra</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <source>Không yêu cầu ký</source>
        <translation>No signature required</translation>
    </message>
</context>
<context>
    <name>Decision</name>
    <message>
        <source>Tiếp nhận</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>Yêu cầu bổ sung, hoàn thiện hồ sơ</source>
        <translation>Request to supplement or complete the dossier</translation>
    </message>
    <message>
        <source>Yêu cầu bổ sung</source>
        <translation>Request supplement</translation>
    </message>
    <message>
        <source>Từ chối tiếp nhận</source>
        <translation>Refuse intake</translation>
    </message>
    <message>
        <source>Từ chối</source>
        <translation>Refuse</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <source>Tiếp nhận hồ sơ %1</source>
        <translation>Accept dossier %1</translation>
    </message>
    <message>
        <source>Yêu cầu bổ sung hồ sơ %1</source>
        <translation>Request supplement for dossier %1</translation>
    </message>
    <message>
        <source>Từ chối tiếp nhận hồ sơ %1</source>
        <translation>Refuse dossier %1</translation>
    </message>
    <message>
        <source>Thủ tục không có trong danh mục: hãy chọn ngày hẹn.</source>
        <translation>Procedure not in the catalogue: choose the appointment date.</translation>
    </message>
    <message>
        <source>Thủ tục trả kết quả ngay trong ngày làm việc.</source>
        <translation>The procedure&apos;s result is returned on the same working day.</translation>
    </message>
    <message numerus="yes">
        <source>Tính theo %n ngày làm việc của thủ tục, trừ thứ Bảy, Chủ nhật và ngày lễ.</source>
        <translation>
            <numerusform>Counted as the procedure&apos;s %n working day, skipping Saturdays, Sundays and public holidays.</numerusform>
            <numerusform>Counted as the procedure&apos;s %n working days, skipping Saturdays, Sundays and public holidays.</numerusform>
        </translation>
    </message>
    <message>
        <source>Ngày hẹn trả kết quả:</source>
        <translation>Appointment date for the result:</translation>
    </message>
    <message numerus="yes">
        <source>Hồ sơ còn %n vấn đề:</source>
        <translation>
            <numerusform>The dossier still has %n problem:</numerusform>
            <numerusform>The dossier still has %n problems:</numerusform>
        </translation>
    </message>
    <message>
        <source>Tôi vẫn tiếp nhận hồ sơ này</source>
        <translation>I accept this dossier anyway</translation>
    </message>
    <message>
        <source>Lý do vẫn tiếp nhận (bắt buộc)</source>
        <translation>Reason for accepting anyway (required)</translation>
    </message>
    <message>
        <source>Nội dung cần bổ sung, hoàn thiện (mỗi dòng một nội dung):</source>
        <translation>What to supplement or complete (one item per line):</translation>
    </message>
    <message>
        <source>Lý do từ chối (bắt buộc, mỗi dòng một lý do):</source>
        <translation>Reasons for refusal (required, one per line):</translation>
    </message>
    <message>
        <source>Ghi chú nội bộ của cán bộ (không in ra phiếu)</source>
        <translation>Officer&apos;s internal note (not printed on the slip)</translation>
    </message>
    <message>
        <source>Tiếp nhận và in giấy hẹn</source>
        <translation>Accept and print the appointment slip</translation>
    </message>
    <message>
        <source>Gửi yêu cầu bổ sung</source>
        <translation>Send supplement request</translation>
    </message>
    <message>
        <source>Từ chối tiếp nhận</source>
        <translation>Refuse intake</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>DecisionHistoryModel</name>
    <message>
        <source>bàn này</source>
        <translation>this desk</translation>
    </message>
    <message>
        <source>hệ thống</source>
        <translation>the system</translation>
    </message>
    <message>
        <source>Chưa kiểm tra</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <source>Lúc</source>
        <translation>At</translation>
    </message>
    <message>
        <source>Cán bộ</source>
        <translation>Officer</translation>
    </message>
    <message>
        <source>Quyết định</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>Lý do</source>
        <translation>Reasons</translation>
    </message>
    <message>
        <source>Ngày hẹn trả</source>
        <translation>Appointment date</translation>
    </message>
    <message>
        <source>Nguồn</source>
        <translation>Origin</translation>
    </message>
    <message>
        <source>Tệp đã đổi</source>
        <translation>Files changed</translation>
    </message>
    <message>
        <source>Tệp trên hệ thống không còn là tệp cán bộ đã xem khi quyết định</source>
        <translation>The file on the server is no longer the one the officer saw when deciding</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Phiên đăng nhập đã hết hạn hoặc sai mật khẩu: vui lòng đăng nhập lại.</source>
        <translation>The session expired or the password is wrong: please sign in again.</translation>
    </message>
    <message>
        <source>Không kết nối được hệ thống của tỉnh (mạng hoặc máy chủ đang gặp sự cố).</source>
        <translation>Cannot reach the provincial procedure system (network or server problem).</translation>
    </message>
    <message>
        <source>Hồ sơ đã được xử lý hoặc thay đổi trên hệ thống: vui lòng đồng bộ và xem lại.</source>
        <translation>The dossier was handled or changed in the system: please sync and look again.</translation>
    </message>
    <message>
        <source>Hệ thống không chấp nhận quyết định: %1</source>
        <translation>The system did not accept the decision: %1</translation>
    </message>
    <message>
        <source>Không tìm thấy hồ sơ hoặc tệp trên hệ thống.</source>
        <translation>The dossier or file was not found in the system.</translation>
    </message>
    <message>
        <source>Tệp tải về không khớp mã kiểm tra (SHA-256): tệp bị hỏng khi truyền.</source>
        <translation>The downloaded file does not match its checksum (SHA-256): it was damaged in transfer.</translation>
    </message>
    <message>
        <source>Không xác minh được chứng thư TLS của máy chủ: kiểm tra địa chỉ máy chủ hoặc tệp CA trong Cài đặt.</source>
        <translation>Could not verify the server&apos;s TLS certificate: check the server address or the CA file in Settings.</translation>
    </message>
    <message>
        <source>Máy chủ trả lời không đúng chuẩn kết nối: kiểm tra lại địa chỉ máy chủ.</source>
        <translation>The server&apos;s answer does not follow the contract: check the server address.</translation>
    </message>
    <message>
        <source>Tệp chứng thư gốc đi kèm ứng dụng đã bị thay đổi: vui lòng cài đặt lại ứng dụng.</source>
        <translation>The root certificates shipped with the app have been changed: please reinstall the app.</translation>
    </message>
    <message>
        <source>Không đọc được chứng thư trong tệp (cần PEM, DER hoặc P7B): %1</source>
        <translation>Could not read a certificate in the file (PEM, DER or P7B needed): %1</translation>
    </message>
    <message>
        <source>Hồ sơ này đã có quyết định đang chờ gửi.</source>
        <translation>This dossier already has a decision waiting to be sent.</translation>
    </message>
    <message>
        <source>Đang đồng bộ, vui lòng chờ.</source>
        <translation>Syncing, please wait.</translation>
    </message>
    <message>
        <source>Không dùng được kho mật khẩu của hệ điều hành: mật khẩu sẽ không được lưu.</source>
        <translation>The operating system&apos;s password store is unavailable: the password will not be saved.</translation>
    </message>
    <message>
        <source>Dữ liệu được tạo bởi phiên bản mới hơn của ứng dụng: vui lòng cập nhật ứng dụng.</source>
        <translation>The data was written by a newer version of the app: please update the app.</translation>
    </message>
    <message>
        <source>Lỗi cơ sở dữ liệu cục bộ: %1</source>
        <translation>Local database error: %1</translation>
    </message>
    <message>
        <source>Lỗi đọc/ghi tệp: %1</source>
        <translation>File read/write error: %1</translation>
    </message>
    <message>
        <source>Đã xảy ra lỗi không mong muốn; chi tiết được ghi trong nhật ký.</source>
        <translation>An unexpected error occurred; the details are in the log.</translation>
    </message>
    <message>
        <source>Sai tên đăng nhập hoặc mật khẩu.</source>
        <translation>Wrong user name or password.</translation>
    </message>
    <message>
        <source>Sửa trong Đổi máy chủ… (hoặc Cài đặt → Máy chủ) theo thông tin của đơn vị vận hành hệ thống của tỉnh.</source>
        <translation>Fix it under Change server… (or Settings → Server) with the details from whoever runs the provincial system.</translation>
    </message>
    <message>
        <source>Hệ thống đăng nhập không có realm “%1”: ô Realm bị sai.</source>
        <translation>The sign-in system has no realm “%1”: the Realm setting is wrong.</translation>
    </message>
    <message>
        <source>Hệ thống đăng nhập không chấp nhận client id “%1” (không có, hoặc không được đăng nhập bằng mật khẩu): ô Client id bị sai.</source>
        <translation>The sign-in system does not accept client id “%1” (it does not exist, or may not sign in with a password): the Client id setting is wrong.</translation>
    </message>
    <message>
        <source>Không có dịch vụ đăng nhập (Keycloak) tại %1: ô Địa chỉ đăng nhập (SSO) bị sai.</source>
        <translation>There is no sign-in service (Keycloak) at %1: the Sign-in address (SSO) setting is wrong.</translation>
    </message>
    <message>
        <source>Hệ thống đăng nhập không chấp nhận cài đặt “%1”.</source>
        <translation>The sign-in system does not accept the setting “%1”.</translation>
    </message>
    <message>
        <source>Hệ thống đăng nhập không cho tài khoản này đăng nhập (bị khóa hoặc chưa thiết lập xong): liên hệ quản trị hệ thống của tỉnh.</source>
        <translation>The sign-in system does not let this account sign in (locked or not fully set up): contact the provincial system&apos;s administrator.</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <source>Bắt đầu sử dụng Intake Desktop</source>
        <translation>Start using Intake Desktop</translation>
    </message>
    <message>
        <source>Chào mừng anh/chị đến với Intake Desktop</source>
        <translation>Welcome to Intake Desktop</translation>
    </message>
    <message>
        <source>Ứng dụng giúp cán bộ tiếp nhận tại Bộ phận Một cửa nhận hồ sơ dịch vụ công trực tuyến, kiểm tra chữ ký số của từng thành phần hồ sơ và gửi quyết định về hệ thống của tỉnh. Trước khi bắt đầu, hãy chọn cách làm việc:</source>
        <translation>The app helps reception officers at one-stop desks take in online public-service dossiers, check the digital signature of every dossier component and send the decision back to the provincial procedure system. Before you start, choose how to work:</translation>
    </message>
    <message>
        <source>&amp;Kết nối hệ thống thông tin giải quyết TTHC của tỉnh hoặc máy chủ đào tạo</source>
        <translation>&amp;Connect to the provincial procedure system or a training server</translation>
    </message>
    <message>
        <source>Địa chỉ &amp;máy chủ:</source>
        <translation>Server &amp;address:</translation>
    </message>
    <message>
        <source>Địa chỉ do Văn phòng UBND tỉnh hoặc Trung tâm Phục vụ hành chính công cung cấp. http:// chỉ dùng cho máy chủ đào tạo.</source>
        <translation>Address given by the Provincial People&apos;s Committee Office or the Public Administration Service Centre. http:// is only for a training server.</translation>
    </message>
    <message>
        <source>Đây là máy chủ đào tạo của lớp tập huấn (làm việc ở chế độ thử nghiệm)</source>
        <translation>This is the classroom&apos;s training server (work in test mode)</translation>
    </message>
    <message>
        <source>Dùng chế độ &amp;thử nghiệm</source>
        <translation>Use &amp;test mode</translation>
    </message>
    <message>
        <source>Dành cho tập huấn: ứng dụng dùng hồ sơ mẫu và cơ sở dữ liệu riêng, không gửi gì lên hệ thống của tỉnh. Sau này có thể kết nối máy chủ trong Cài đặt.</source>
        <translation>For training: the app uses sample dossiers and its own database and sends nothing to the provincial procedure system. You can connect a server later in Settings.</translation>
    </message>
    <message>
        <source>Tiếp tục</source>
        <translation>Continue</translation>
    </message>
    <message>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>GuidancePanel</name>
    <message>
        <source>Hướng dẫn tập huấn</source>
        <translation>Training guidance</translation>
    </message>
    <message>
        <source>Tình huống</source>
        <translation>Situation</translation>
    </message>
    <message>
        <source>Cần xem gì:</source>
        <translation>What to look for:</translation>
    </message>
    <message>
        <source>Thành phần cần xem:</source>
        <translation>Component to look at:</translation>
    </message>
    <message>
        <source>Xem đáp án</source>
        <translation>Show the answer</translation>
    </message>
    <message>
        <source>Quyết định đúng</source>
        <translation>Right decision</translation>
    </message>
    <message>
        <source>Đặt lại điểm</source>
        <translation>Reset score</translation>
    </message>
    <message>
        <source>Điểm luyện tập</source>
        <translation>Practice score</translation>
    </message>
    <message>
        <source>Mở một hồ sơ mẫu để xem hướng dẫn.</source>
        <translation>Open a sample dossier to see its guidance.</translation>
    </message>
    <message>
        <source>Hồ sơ %1 không có trong bộ tình huống.</source>
        <translation>Dossier %1 is not in the scenario pack.</translation>
    </message>
    <message>
        <source>Hồ sơ %1</source>
        <translation>Dossier %1</translation>
    </message>
    <message>
        <source>Đúng %1/%2</source>
        <translation>Correct %1/%2</translation>
    </message>
    <message>
        <source>%1 %2 — chọn: %3; đáp án: %4</source>
        <translation>%1 %2 — chose: %3; right answer: %4</translation>
    </message>
    <message>
        <source>✓ Quyết định đúng.</source>
        <translation>✓ Right decision.</translation>
    </message>
    <message>
        <source>✗ Chưa đúng: đã chọn «%1».</source>
        <translation>✗ Not right: you chose «%1».</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Intake Desktop — Tiếp nhận hồ sơ trực tuyến</source>
        <translation>Intake Desktop — Online dossier intake</translation>
    </message>
    <message>
        <source>[THỬ NGHIỆM] %1</source>
        <translation>[TEST MODE] %1</translation>
    </message>
    <message>
        <source>Tìm theo mã hồ sơ, chủ hồ sơ, số CCCD, thủ tục… (Ctrl+F)</source>
        <translation>Search by dossier code, applicant, citizen ID, procedure… (Ctrl+F)</translation>
    </message>
    <message>
        <source>Chờ tiếp nhận</source>
        <translation>Awaiting intake</translation>
    </message>
    <message>
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <source>Đồng bộ</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>Lấy hồ sơ mới từ hệ thống (F5)</source>
        <translation>Fetch new dossiers from the system (F5)</translation>
    </message>
    <message>
        <source>Chưa đồng bộ</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>Hàng đợi</source>
        <translation>Queue</translation>
    </message>
    <message>
        <source>Tiếp nhận hồ sơ</source>
        <translation>Dossier intake</translation>
    </message>
    <message>
        <source>Giám sát chữ ký số</source>
        <translation>Signature audit</translation>
    </message>
    <message>
        <source>Ngoại tuyến — làm việc với dữ liệu đã lưu</source>
        <translation>Offline — working with stored data</translation>
    </message>
    <message>
        <source>&amp;Hệ thống</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <source>&amp;Gửi các quyết định chờ gửi</source>
        <translation>&amp;Send waiting decisions</translation>
    </message>
    <message>
        <source>&amp;Kiểm tra chữ ký một tệp PDF…</source>
        <translation>&amp;Check the signatures of a PDF file…</translation>
    </message>
    <message>
        <source>&amp;Cài đặt…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>Đặt &amp;lại dữ liệu mẫu…</source>
        <translation>&amp;Reset sample data…</translation>
    </message>
    <message>
        <source>&amp;Thoát</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Trợ &amp;giúp</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>Mở thư mục &amp;nhật ký</source>
        <translation>Open the &amp;log folder</translation>
    </message>
    <message>
        <source>&amp;Giới thiệu Intake Desktop</source>
        <translation>&amp;About Intake Desktop</translation>
    </message>
    <message numerus="yes">
        <source>%n quyết định chờ gửi</source>
        <translation>
            <numerusform>%n decision waiting to be sent</numerusform>
            <numerusform>%n decisions waiting to be sent</numerusform>
        </translation>
    </message>
    <message>
        <source>Đã gửi hết quyết định</source>
        <translation>All decisions sent</translation>
    </message>
    <message>
        <source>Đã ghi quyết định vào hàng đợi gửi; ứng dụng tự gửi lên hệ thống, kể cả khi mạng gián đoạn. Phiếu đã được lưu tại: %1</source>
        <translation>The decision is in the outbox; the app sends it to the system itself, even if the network drops. The slip was saved at: %1</translation>
    </message>
    <message>
        <source>Đang đồng bộ hồ sơ…</source>
        <translation>Syncing dossiers…</translation>
    </message>
    <message>
        <source>Đang lấy danh sách</source>
        <translation>Listing</translation>
    </message>
    <message>
        <source>Đang tải hồ sơ</source>
        <translation>Downloading dossiers</translation>
    </message>
    <message>
        <source>Đang tải tệp</source>
        <translation>Downloading files</translation>
    </message>
    <message>
        <source>Đồng bộ lúc %1</source>
        <translation>Synced at %1</translation>
    </message>
    <message numerus="yes">
        <source>Đồng bộ xong: %n hồ sơ mới hoặc thay đổi</source>
        <translation>
            <numerusform>Sync done: %n new or changed dossier</numerusform>
            <numerusform>Sync done: %n new or changed dossiers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> — %n lỗi tệp đính kèm</source>
        <translation>
            <numerusform> — %n attachment error</numerusform>
            <numerusform> — %n attachment errors</numerusform>
        </translation>
    </message>
    <message>
        <source>Không đồng bộ được: %1 — đang làm việc ngoại tuyến với dữ liệu đã lưu.</source>
        <translation>Could not sync: %1 — working offline with the stored data.</translation>
    </message>
    <message>
        <source>Cài đặt</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Máy chủ và ngôn ngữ mới có hiệu lực từ lần mở ứng dụng sau; các cài đặt khác đã được áp dụng.</source>
        <translation>A new server and language take effect the next time the app starts; the other settings are applied now.</translation>
    </message>
    <message>
        <source>Đặt lại dữ liệu mẫu</source>
        <translation>Reset sample data</translation>
    </message>
    <message>
        <source>Đưa mọi hồ sơ mẫu về trạng thái chờ tiếp nhận và xóa các quyết định đã ghi trong chế độ thử nghiệm?</source>
        <translation>Put every sample dossier back to awaiting intake and delete the decisions recorded in test mode?</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Intake Desktop %1&lt;/h3&gt;&lt;p&gt;Tiếp nhận hồ sơ trực tuyến tại Bộ phận Một cửa: kiểm tra lịch sử ký số của từng thành phần hồ sơ, tiếp nhận hoặc trả lại hồ sơ.&lt;/p&gt;&lt;p&gt;Nhật ký hỗ trợ: %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Intake Desktop %1&lt;/h3&gt;&lt;p&gt;Online dossier intake at the one-stop desk: check the signature history of every dossier component, then accept or return the dossier.&lt;/p&gt;&lt;p&gt;Support log: %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Giới thiệu</source>
        <translation>About</translation>
    </message>
</context>
<context>
    <name>OfficeSyncPanel</name>
    <message>
        <source>Đồng bộ toàn đơn vị</source>
        <translation>Office-wide sync</translation>
    </message>
    <message>
        <source>Tải về mọi hồ sơ của đơn vị nộp trong khoảng ngày này, kể cả hồ sơ đã quyết định, cùng quyết định và kết luận mà từng cán bộ đã thấy</source>
        <translation>Download every dossier of the unit submitted in this date range, decided ones included, with the decisions and the verdicts each officer saw</translation>
    </message>
    <message>
        <source>Tải tệp của hồ sơ đã chọn</source>
        <translation>Download files of selected dossiers</translation>
    </message>
    <message>
        <source>Tải tệp đính kèm của các hồ sơ đang chọn để kiểm tra lại chữ ký số</source>
        <translation>Download the attachments of the selected dossiers to re-check their digital signatures</translation>
    </message>
    <message>
        <source>Hồ sơ của đơn vị nộp từ</source>
        <translation>Unit&apos;s dossiers submitted from</translation>
    </message>
    <message>
        <source>đến</source>
        <translation>to</translation>
    </message>
    <message>
        <source>Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.</source>
        <translation>The start date must be on or before the end date.</translation>
    </message>
    <message>
        <source>Đang đồng bộ hồ sơ của đơn vị…</source>
        <translation>Syncing the unit&apos;s dossiers…</translation>
    </message>
    <message>
        <source>Đang đọc hồ sơ %1/%2…</source>
        <translation>Reading dossier %1/%2…</translation>
    </message>
    <message>
        <source>Đã đồng bộ toàn đơn vị: %1 hồ sơ mới, %2 hồ sơ cập nhật, %3 quyết định mới.</source>
        <translation>Office-wide sync done: %1 new dossiers, %2 updated, %3 new decisions.</translation>
    </message>
    <message>
        <source>(đã dừng giữa chừng)</source>
        <translation>(stopped part way)</translation>
    </message>
    <message>
        <source>%1 hồ sơ không đọc được.</source>
        <translation>%1 dossiers could not be read.</translation>
    </message>
    <message>
        <source>Chỉ lãnh đạo bộ phận (giám sát viên) mới đồng bộ được toàn đơn vị; tài khoản này không có quyền giám sát.</source>
        <translation>Only the desk&apos;s supervisor can sync the whole unit; this account does not have the supervisor role.</translation>
    </message>
    <message>
        <source>Hệ thống này không cho tải hồ sơ của đơn vị theo ngày nộp; chỉ đồng bộ được hàng đợi của bàn này.</source>
        <translation>This system cannot list the unit&apos;s dossiers by submission date; only this desk&apos;s queue can be synced.</translation>
    </message>
    <message>
        <source>Không đồng bộ được toàn đơn vị: %1</source>
        <translation>The office-wide sync failed: %1</translation>
    </message>
    <message>
        <source>Hãy chọn hồ sơ trong bảng trước khi tải tệp.</source>
        <translation>Select dossiers in the table before downloading their files.</translation>
    </message>
    <message>
        <source>Đang tải tệp của %1 hồ sơ…</source>
        <translation>Downloading the files of %1 dossiers…</translation>
    </message>
    <message>
        <source>Đã tải %1 tệp (%2 tệp đã có sẵn), đã kiểm tra chữ ký số %3 tệp.</source>
        <translation>Downloaded %1 files (%2 were already here); checked the signatures of %3 files.</translation>
    </message>
    <message>
        <source>%1 tệp không tải được.</source>
        <translation>%1 files could not be downloaded.</translation>
    </message>
    <message>
        <source>Không tải được tệp: %1</source>
        <translation>Could not download the files: %1</translation>
    </message>
</context>
<context>
    <name>PackChecksModel</name>
    <message>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Kết quả kiểm tra</source>
        <translation>Check result</translation>
    </message>
</context>
<context>
    <name>PackImportedDialog</name>
    <message>
        <source>Đã nhập bộ tình huống</source>
        <translation>Scenario pack imported</translation>
    </message>
    <message>
        <source>«%1»: %2 hồ sơ, %3 tệp. Kết quả kiểm tra chữ ký số của từng tệp:</source>
        <translation>«%1»: %2 dossiers, %3 files. Signature check of each file:</translation>
    </message>
</context>
<context>
    <name>PageView</name>
    <message>
        <source>Không vẽ được trang này.</source>
        <translation>Could not draw this page.</translation>
    </message>
    <message>
        <source>Trang %1</source>
        <translation>Page %1</translation>
    </message>
    <message>
        <source>Sao chép</source>
        <translation>Copy</translation>
    </message>
</context>
<context>
    <name>PdfViewer</name>
    <message>
        <source>Bản hiện tại</source>
        <translation>Current version</translation>
    </message>
    <message>
        <source>Quay lại bản hiện tại</source>
        <translation>Back to the current version</translation>
    </message>
    <message>
        <source>Mở bằng ứng dụng hệ thống</source>
        <translation>Open with the system application</translation>
    </message>
    <message>
        <source>Chuyển sang PDF để xem</source>
        <translation>Convert to PDF to view</translation>
    </message>
    <message>
        <source>Trang thu nhỏ</source>
        <translation>Thumbnails</translation>
    </message>
    <message>
        <source>Trang</source>
        <translation>Page</translation>
    </message>
    <message>
        <source>Đi tới trang (Ctrl+G)</source>
        <translation>Go to page (Ctrl+G)</translation>
    </message>
    <message>
        <source>Đi tới trang</source>
        <translation>Go to page</translation>
    </message>
    <message>
        <source>Thu nhỏ (Ctrl+-)</source>
        <translation>Zoom out (Ctrl+-)</translation>
    </message>
    <message>
        <source>Phóng to (Ctrl++)</source>
        <translation>Zoom in (Ctrl++)</translation>
    </message>
    <message>
        <source>Vừa chiều rộng</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <source>Vừa trang</source>
        <translation>Fit page</translation>
    </message>
    <message>
        <source>Xoay trái</source>
        <translation>Rotate left</translation>
    </message>
    <message>
        <source>Xoay phải</source>
        <translation>Rotate right</translation>
    </message>
    <message>
        <source>Tìm trong tài liệu…</source>
        <translation>Find in document…</translation>
    </message>
    <message>
        <source>Tìm</source>
        <translation>Find</translation>
    </message>
    <message>
        <source>Kết quả trước (Shift+F3)</source>
        <translation>Previous match (Shift+F3)</translation>
    </message>
    <message>
        <source>Kết quả tiếp theo (F3)</source>
        <translation>Next match (F3)</translation>
    </message>
    <message>
        <source>Không tìm thấy</source>
        <translation>Not found</translation>
    </message>
    <message>
        <source>In…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>Lưu bản sao…</source>
        <translation>Save a copy…</translation>
    </message>
    <message>
        <source>Sao chép</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Đang mở %1…</source>
        <translation>Opening %1…</translation>
    </message>
    <message>
        <source>Bản xem trước do LibreOffice chuyển sang PDF; trình bày có thể khác bản gốc.</source>
        <translation>Preview converted to PDF by LibreOffice; the layout may differ from the original.</translation>
    </message>
    <message>
        <source>Không chuyển được tài liệu sang PDF để xem.</source>
        <translation>Could not convert the document to PDF for viewing.</translation>
    </message>
    <message>
        <source>Không mở được bản đã ký của chữ ký này.</source>
        <translation>Could not open the signed revision for this signature.</translation>
    </message>
    <message>
        <source>Tệp bị lỗi cấu trúc (có thể tải về chưa hết); trang hiển thị dưới đây do trình xem tự khôi phục, nội dung có thể thiếu hoặc sai.</source>
        <translation>The file has structural errors (it may not have downloaded completely); the pages below were recovered by the viewer and may be incomplete or wrong.</translation>
    </message>
    <message>
        <source>Tệp mang tên PDF nhưng thực chất là ảnh %1.</source>
        <translation>The file is named PDF but is actually a %1 image.</translation>
    </message>
    <message>
        <source>Trang %1 rất lớn (%2 × %3 cm); khi phóng to, trang được vẽ từng phần.</source>
        <translation>Page %1 is very large (%2 × %3 cm); when zoomed in it is drawn in parts.</translation>
    </message>
    <message>
        <source>Tệp được đặt mật khẩu, không thể hiển thị.</source>
        <translation>The file is password-protected and cannot be displayed.</translation>
    </message>
    <message>
        <source>Tệp bị hỏng, không thể hiển thị.</source>
        <translation>The file is damaged and cannot be displayed.</translation>
    </message>
    <message>
        <source>Tệp không có trang nào để hiển thị.</source>
        <translation>The file has no pages to display.</translation>
    </message>
    <message>
        <source>Tệp rỗng (0 byte), không có gì để hiển thị.</source>
        <translation>The file is empty (0 bytes): nothing to display.</translation>
    </message>
    <message>
        <source>Không đọc được tệp.</source>
        <translation>Could not read the file.</translation>
    </message>
    <message>
        <source>Tệp quá lớn để hiển thị.</source>
        <translation>The file is too large to display.</translation>
    </message>
    <message>
        <source>Tệp không phải PDF mà là một trang web (HTML), thường do cổng dịch vụ công trả về thay cho tệp; không thể hiển thị.</source>
        <translation>The file is not a PDF but a web page (HTML), usually returned by the portal instead of the file; cannot display.</translation>
    </message>
    <message>
        <source>Tệp không phải PDF mà là văn bản thuần; không thể hiển thị.</source>
        <translation>The file is not a PDF but plain text; cannot display.</translation>
    </message>
    <message>
        <source>Không nhận ra định dạng tệp, không thể hiển thị.</source>
        <translation>Unrecognised file format, cannot display.</translation>
    </message>
    <message>
        <source>Tài liệu Microsoft Word 97–2003 (DOC)</source>
        <translation>Microsoft Word 97–2003 document (DOC)</translation>
    </message>
    <message>
        <source>Tài liệu Microsoft Word (DOCX)</source>
        <translation>Microsoft Word document (DOCX)</translation>
    </message>
    <message>
        <source>Tài liệu OpenDocument (ODT)</source>
        <translation>OpenDocument text (ODT)</translation>
    </message>
    <message>
        <source>Tài liệu RTF</source>
        <translation>RTF document</translation>
    </message>
    <message>
        <source>Máy chưa cài LibreOffice nên không xem trực tiếp được tài liệu Word; hãy mở bằng ứng dụng hệ thống.</source>
        <translation>LibreOffice is not installed, so Word documents cannot be shown here; open it with the system application.</translation>
    </message>
    <message>
        <source>Đang chuyển tài liệu Word sang PDF để xem…</source>
        <translation>Converting the Word document to PDF for viewing…</translation>
    </message>
    <message>
        <source>LibreOffice chuyển đổi quá lâu nên đã dừng; hãy mở bằng ứng dụng hệ thống.</source>
        <translation>LibreOffice took too long to convert and was stopped; open the file with the system application.</translation>
    </message>
    <message>
        <source>LibreOffice không chuyển được tài liệu này; hãy mở bằng ứng dụng hệ thống.</source>
        <translation>LibreOffice could not convert this document; open it with the system application.</translation>
    </message>
    <message>
        <source>không rõ</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>Chữ ký số %1: %2, ký lúc %3</source>
        <translation>Signature %1: %2, signed at %3</translation>
    </message>
    <message>
        <source>Bản đã ký bởi %1 lúc %2 — chỉ xem</source>
        <translation>Revision signed by %1 at %2 — read only</translation>
    </message>
    <message>
        <source>Không có thông tin về chữ ký này.</source>
        <translation>No information about this signature.</translation>
    </message>
    <message>
        <source>Không lấy được bản đã ký của chữ ký này.</source>
        <translation>Could not get the signed revision for this signature.</translation>
    </message>
    <message>
        <source>So sánh với bản đã ký: đang so sánh…</source>
        <translation>Comparing with the signed revision…</translation>
    </message>
    <message>
        <source>So sánh với bản đã ký: đã so %1/%2 trang…</source>
        <translation>Comparing with the signed revision: %1/%2 pages…</translation>
    </message>
    <message>
        <source>So sánh với bản đã ký: khác ở trang %1 (vùng khác được đánh dấu hai bên).</source>
        <translation>Compared with the signed revision: differs on page %1 (changed areas marked on both sides).</translation>
    </message>
    <message>
        <source>So sánh với bản đã ký: hai bản hiển thị giống nhau.</source>
        <translation>Compared with the signed revision: both look the same.</translation>
    </message>
    <message>
        <source>Không so sánh được hai bản.</source>
        <translation>Could not compare the two versions.</translation>
    </message>
    <message>
        <source>Đang tìm…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>Không tìm được.</source>
        <translation>No matches.</translation>
    </message>
    <message>
        <source>Đang chuẩn bị in…</source>
        <translation>Preparing to print…</translation>
    </message>
    <message>
        <source>Đang in trang %1/%2…</source>
        <translation>Printing page %1/%2…</translation>
    </message>
    <message>
        <source>Đã gửi %1 trang tới máy in.</source>
        <translation>Sent %1 page(s) to the printer.</translation>
    </message>
    <message>
        <source>Không in được tài liệu.</source>
        <translation>Could not print the document.</translation>
    </message>
    <message>
        <source>Lưu bản sao</source>
        <translation>Save a copy</translation>
    </message>
    <message>
        <source>Mọi tệp (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>Đã lưu bản sao: %1</source>
        <translation>Copy saved: %1</translation>
    </message>
    <message>
        <source>Không ghi được tệp: %1</source>
        <translation>Could not write the file: %1</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Chữ ký hợp lệ</source>
        <translation>Signatures valid</translation>
    </message>
    <message>
        <source>Có lưu ý</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <source>Có vấn đề</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>Chưa ký số</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <source>Chưa kiểm tra</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <source>Trạng thái khác: %1</source>
        <translation>Other status: %1</translation>
    </message>
    <message>
        <source>Trạng thái khác</source>
        <translation>Other status</translation>
    </message>
    <message>
        <source>Chờ tiếp nhận</source>
        <translation>Awaiting intake</translation>
    </message>
    <message>
        <source>Đã tiếp nhận</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>Yêu cầu bổ sung</source>
        <translation>Supplement requested</translation>
    </message>
    <message>
        <source>Từ chối</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>Hệ thống của tỉnh báo một trạng thái mà ứng dụng chưa biết, nên hồ sơ chỉ được xem, không tiếp nhận, yêu cầu bổ sung hay từ chối ở đây. Hãy xử lý hồ sơ trên hệ thống của tỉnh.</source>
        <translation>The provincial system reports a status this app does not know, so the dossier can only be viewed here, not accepted, returned for supplement or refused. Handle it in the provincial system.</translation>
    </message>
    <message>
        <source>Chờ gửi</source>
        <translation>Waiting to send</translation>
    </message>
    <message>
        <source>Đang gửi</source>
        <translation>Sending</translation>
    </message>
    <message>
        <source>Đã gửi</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Xung đột</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <source>Bị từ chối</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>Mã hồ sơ</source>
        <translation>Dossier code</translation>
    </message>
    <message>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <source>Chủ hồ sơ</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>Ngày nộp</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>Hạn tiếp nhận</source>
        <translation>Intake deadline</translation>
    </message>
    <message>
        <source>Thành phần</source>
        <translation>Component</translation>
    </message>
    <message>
        <source>Chữ ký số</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>%1 (quá hạn)</source>
        <translation>%1 (overdue)</translation>
    </message>
    <message>
        <source>%1 (còn %2 giờ)</source>
        <translation>%1 (%2 h left)</translation>
    </message>
</context>
<context>
    <name>ReviewWidget</name>
    <message>
        <source>← Hàng đợi</source>
        <translation>← Queue</translation>
    </message>
    <message>
        <source>Quay lại hàng đợi (Esc)</source>
        <translation>Back to the queue (Esc)</translation>
    </message>
    <message>
        <source>Đang mở hồ sơ %1…</source>
        <translation>Opening dossier %1…</translation>
    </message>
    <message>
        <source>Tiếp nhận</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>Tiếp nhận hồ sơ, hẹn ngày trả kết quả (Ctrl+Enter)</source>
        <translation>Accept the dossier, set the appointment date (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Yêu cầu bổ sung</source>
        <translation>Request supplement</translation>
    </message>
    <message>
        <source>Yêu cầu bổ sung, hoàn thiện hồ sơ (Ctrl+B)</source>
        <translation>Request to supplement or complete the dossier (Ctrl+B)</translation>
    </message>
    <message>
        <source>Từ chối</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <source>Từ chối tiếp nhận (Ctrl+R)</source>
        <translation>Refuse intake (Ctrl+R)</translation>
    </message>
    <message>
        <source>Lịch sử ký số</source>
        <translation>Signature history</translation>
    </message>
    <message>
        <source>Xem bản đã ký</source>
        <translation>View signed revision</translation>
    </message>
    <message>
        <source>Tài liệu đúng như lúc chữ ký này được tạo</source>
        <translation>The document exactly as it was when this signature was made</translation>
    </message>
    <message>
        <source>So sánh</source>
        <translation>Compare</translation>
    </message>
    <message>
        <source>So sánh với bản đã ký, tô đậm phần bị thay đổi</source>
        <translation>Compare with the signed revision, changed parts highlighted</translation>
    </message>
    <message>
        <source>Bản hiện tại</source>
        <translation>Current version</translation>
    </message>
    <message>
        <source>Lịch sử quyết định</source>
        <translation>Decision history</translation>
    </message>
    <message>
        <source>Kết luận cán bộ đã thấy và tệp hiện nay</source>
        <translation>What the officer saw, and the files now</translation>
    </message>
    <message>
        <source>Lịch sử quyết định (%1)</source>
        <translation>Decision history (%1)</translation>
    </message>
    <message>
        <source>Kết luận %1 đã thấy và tệp hiện nay</source>
        <translation>What %1 saw, and the files now</translation>
    </message>
    <message>
        <source>%1 tệp đã khác tệp cán bộ xem khi quyết định</source>
        <translation>%1 files differ from those the officer saw when deciding</translation>
    </message>
    <message>
        <source>CCCD: %1</source>
        <translation>Citizen ID: %1</translation>
    </message>
    <message>
        <source>Ngày sinh: %1</source>
        <translation>Date of birth: %1</translation>
    </message>
    <message>
        <source>Nộp lúc %1</source>
        <translation>Submitted at %1</translation>
    </message>
    <message>
        <source>hãy sửa và quyết định lại</source>
        <translation>correct it and decide again</translation>
    </message>
    <message>
        <source>hồ sơ đã được xử lý ở nơi khác, hãy đồng bộ</source>
        <translation>the dossier was handled elsewhere; sync</translation>
    </message>
    <message>
        <source>Không phát hiện vấn đề.</source>
        <translation>No problems found.</translation>
    </message>
    <message>
        <source>Kết quả kiểm tra hồ sơ</source>
        <translation>Dossier check results</translation>
    </message>
    <message>
        <source>Thành phần chưa được nộp</source>
        <translation>Component not submitted</translation>
    </message>
    <message>
        <source>%1: tệp đã được dọn khỏi bộ nhớ đệm vì hồ sơ đã xử lý xong; kết quả kiểm tra chữ ký vẫn được lưu.</source>
        <translation>%1: the file was removed from the cache because the dossier is done with; its signature check results are kept.</translation>
    </message>
    <message>
        <source>%1: tệp không được tải về vì hồ sơ không ở trạng thái chờ tiếp nhận.</source>
        <translation>%1: the file was not downloaded because the dossier is not awaiting intake.</translation>
    </message>
    <message>
        <source>Chưa tải được tệp %1: %2</source>
        <translation>Could not download %1: %2</translation>
    </message>
    <message>
        <source>hãy đồng bộ lại</source>
        <translation>sync again</translation>
    </message>
    <message>
        <source>Lịch sử ký số — %1 (chưa kiểm tra)</source>
        <translation>Signature history — %1 (not checked)</translation>
    </message>
    <message>
        <source>Thay đổi sau khi ký</source>
        <translation>Changes after signing</translation>
    </message>
    <message>
        <source>Người ký là chủ hồ sơ (trùng số CCCD).</source>
        <translation>The signer is the applicant (same citizen ID).</translation>
    </message>
    <message>
        <source>Người ký KHÔNG phải chủ hồ sơ: CCCD %1 ≠ %2.</source>
        <translation>The signer is NOT the applicant: citizen ID %1 ≠ %2.</translation>
    </message>
    <message>
        <source>Đã ghi quyết định, đang chờ gửi</source>
        <translation>Decision recorded, waiting to be sent</translation>
    </message>
</context>
<context>
    <name>ScenarioPacks</name>
    <message>
        <source>Tệp có đường dẫn không an toàn (có thể ghi ra ngoài thư mục).</source>
        <translation>A file has an unsafe path (it could be written outside the folder).</translation>
    </message>
    <message>
        <source>Tệp quá lớn so với giới hạn của một bộ tình huống.</source>
        <translation>A file is too large for a scenario pack.</translation>
    </message>
    <message>
        <source>Bảng kê (manifest.json) không đúng định dạng hoặc không khớp với các tệp.</source>
        <translation>The manifest (manifest.json) is malformed or does not match the files.</translation>
    </message>
    <message>
        <source>Bộ tình huống này (hoặc một hồ sơ trong đó) đã có trong chế độ thử nghiệm.</source>
        <translation>This scenario pack (or one of its dossiers) is already in test mode.</translation>
    </message>
    <message>
        <source>Đây không phải tệp bộ tình huống (.zip có manifest.json).</source>
        <translation>This is not a scenario pack (.zip with manifest.json).</translation>
    </message>
    <message>
        <source>Không dùng được bộ tình huống này.</source>
        <translation>This scenario pack cannot be used.</translation>
    </message>
    <message>
        <source>Xuất bộ tình huống</source>
        <translation>Export scenario pack</translation>
    </message>
    <message>
        <source>Tên bộ tình huống:</source>
        <translation>Scenario pack name:</translation>
    </message>
    <message>
        <source>Bộ tình huống tập huấn</source>
        <translation>Training scenario pack</translation>
    </message>
    <message>
        <source>Bộ tình huống (*.zip)</source>
        <translation>Scenario packs (*.zip)</translation>
    </message>
    <message>
        <source>Đã xuất %1 hồ sơ vào %2.</source>
        <translation>Exported %1 dossiers to %2.</translation>
    </message>
    <message>
        <source>Nhập bộ tình huống</source>
        <translation>Import scenario pack</translation>
    </message>
</context>
<context>
    <name>ServerAddress</name>
    <message>
        <source>Hãy nhập địa chỉ máy chủ.</source>
        <translation>Enter the server address.</translation>
    </message>
    <message>
        <source>Địa chỉ phải có dạng https://tên-máy-chủ[:cổng], ví dụ https://dichvucong.tinh.gov.vn.</source>
        <translation>The address must look like https://server-name[:port], for example https://dichvucong.tinh.gov.vn.</translation>
    </message>
    <message>
        <source>Địa chỉ máy chủ không được chứa tên đăng nhập, dấu ? hoặc dấu #.</source>
        <translation>The server address must not contain a user name, ? or #.</translation>
    </message>
    <message>
        <source>Tên máy chủ không hợp lệ.</source>
        <translation>Invalid server name.</translation>
    </message>
    <message>
        <source>Cổng phải là một số từ 1 đến 65535.</source>
        <translation>The port must be a number from 1 to 65535.</translation>
    </message>
    <message>
        <source>Chỉ dùng http:// cho máy chủ đào tạo chạy trên chính máy này (localhost, 127.0.0.1) hoặc trong mạng nội bộ của lớp tập huấn; hệ thống của tỉnh phải dùng https://.</source>
        <translation>Use http:// only for a training server on this computer (localhost, 127.0.0.1) or on the classroom network; the provincial procedure system must use https://.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Không tìm thấy tệp.</source>
        <translation>File not found.</translation>
    </message>
    <message>
        <source>Tệp quá lớn, không phải bộ chứng thư CA.</source>
        <translation>The file is too large to be a CA bundle.</translation>
    </message>
    <message>
        <source>Không đọc được tệp: %1</source>
        <translation>Could not read the file: %1</translation>
    </message>
    <message>
        <source>Tệp không ở dạng PEM (cần các khối -----BEGIN CERTIFICATE-----).</source>
        <translation>The file is not PEM (-----BEGIN CERTIFICATE----- blocks are needed).</translation>
    </message>
    <message>
        <source>Tệp PEM không chứa chứng thư đọc được.</source>
        <translation>The PEM file holds no readable certificate.</translation>
    </message>
    <message>
        <source>Cài đặt</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>&amp;Máy chủ</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>&amp;Chứng thư tin cậy</source>
        <translation>&amp;Trusted certificates</translation>
    </message>
    <message>
        <source>&amp;Văn phòng</source>
        <translation>&amp;Office</translation>
    </message>
    <message>
        <source>&amp;Bộ nhớ đệm</source>
        <translation>&amp;Cache</translation>
    </message>
    <message>
        <source>&amp;Ngôn ngữ</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Chế độ t&amp;hử nghiệm (hồ sơ mẫu, không gửi gì lên hệ thống)</source>
        <translation>&amp;Test mode (sample dossiers, nothing sent to the system)</translation>
    </message>
    <message>
        <source>Có địa chỉ máy chủ: máy chủ đào tạo của lớp tập huấn; để trống: hồ sơ mẫu trên máy này. Có hiệu lực từ lần khởi động sau.</source>
        <translation>With a server address: the classroom&apos;s training server; empty: sample dossiers on this computer. Takes effect at the next start.</translation>
    </message>
    <message>
        <source>Đóng vai giám sát viên (chế độ thử)</source>
        <translation>Act as the supervisor (test mode)</translation>
    </message>
    <message>
        <source>Thẻ Giám sát chữ ký số có thêm Đồng bộ toàn đơn vị: hồ sơ các cán bộ khác đã quyết định, cùng kết luận họ đã thấy. Với máy chủ đào tạo, tài khoản giamsat có sẵn quyền này.</source>
        <translation>The Signature audit tab gains the office-wide sync: the dossiers other officers decided, with the verdicts they saw. On a training server the giamsat account has this role already.</translation>
    </message>
    <message>
        <source>Đị&amp;a chỉ máy chủ:</source>
        <translation>Server &amp;address:</translation>
    </message>
    <message>
        <source>&amp;Tên đăng nhập:</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <source>Để trống: dùng các CA mặc định</source>
        <translation>Empty: use the default CAs</translation>
    </message>
    <message>
        <source>Chọn tệ&amp;p…</source>
        <translation>Choose &amp;file…</translation>
    </message>
    <message>
        <source>Chỉ cần khi máy chủ dùng chứng thư TLS do cơ quan tự cấp: chọn tệp PEM chứa chứng thư CA của cơ quan.</source>
        <translation>Only needed when the server uses a TLS certificate issued by your agency&apos;s own CA: choose the PEM file holding that CA certificate.</translation>
    </message>
    <message>
        <source>Tệp CA cho &amp;kết nối TLS:</source>
        <translation>CA file for the &amp;TLS connection:</translation>
    </message>
    <message>
        <source>Kiểm tra th&amp;u hồi chứng thư trực tuyến (OCSP/CRL)</source>
        <translation>Check certificate &amp;revocation online (OCSP/CRL)</translation>
    </message>
    <message>
        <source>Cần kết nối Internet; mỗi lần hỏi tổ chức cấp chứng thư chờ tối đa 5 giây. Khi tắt, báo cáo ghi rõ là chưa kiểm tra thu hồi.</source>
        <translation>Needs Internet access; each query to a certificate provider waits at most 5 seconds. When off, reports say revocation was not checked.</translation>
    </message>
    <message>
        <source>Hãy nhập địa chỉ máy chủ hoặc bật chế độ thử nghiệm.</source>
        <translation>Enter the server address or turn on test mode.</translation>
    </message>
    <message>
        <source>Chọn tệp CA (PEM)</source>
        <translation>Choose CA file (PEM)</translation>
    </message>
    <message>
        <source>Chứng thư PEM (*.pem *.crt *.cer);;Tất cả tệp (*)</source>
        <translation>PEM certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <source>Chữ ký số được coi là tin cậy khi chuỗi chứng thư dẫn về một trong các chứng thư gốc dưới đây. Chứng thư “Có sẵn” đi kèm ứng dụng và không xóa được. Nhập hoặc xóa chứng thư có hiệu lực ngay.</source>
        <translation>A digital signature is trusted when its certificate chain leads to one of the roots below. “Built-in” roots ship with the app and cannot be removed. Imports and removals take effect at once.</translation>
    </message>
    <message>
        <source>Nhậ&amp;p chứng thư…</source>
        <translation>&amp;Import certificate…</translation>
    </message>
    <message>
        <source>&amp;Xóa</source>
        <translation>&amp;Remove</translation>
    </message>
    <message>
        <source>Chứng thư có sẵn không xóa được.</source>
        <translation>Built-in certificates cannot be removed.</translation>
    </message>
    <message>
        <source>Đang đọc danh sách chứng thư…</source>
        <translation>Reading the certificate list…</translation>
    </message>
    <message numerus="yes">
        <source>%n chứng thư gốc có sẵn</source>
        <translation>
            <numerusform>%n built-in trusted root</numerusform>
            <numerusform>%n built-in trusted roots</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n chứng thư đã nhập</source>
        <translation>
            <numerusform>, %n certificate imported</numerusform>
            <numerusform>, %n certificates imported</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; ngoài ra %n chứng thư trung gian có sẵn chỉ dùng để dựng chuỗi.</source>
        <translation>
            <numerusform>; also %n built-in intermediate certificate, used only to build chains.</numerusform>
            <numerusform>; also %n built-in intermediate certificates, used only to build chains.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nhập chứng thư gốc tin cậy</source>
        <translation>Import trusted root certificate</translation>
    </message>
    <message>
        <source>Chứng thư (*.pem *.crt *.cer *.der *.p7b *.p7c);;Tất cả tệp (*)</source>
        <translation>Certificates (*.pem *.crt *.cer *.der *.p7b *.p7c);;All files (*)</translation>
    </message>
    <message>
        <source>Đang nhập chứng thư từ %1…</source>
        <translation>Importing certificates from %1…</translation>
    </message>
    <message numerus="yes">
        <source>Đã nhập %n chứng thư.</source>
        <translation>
            <numerusform>Imported %n certificate.</numerusform>
            <numerusform>Imported %n certificates.</numerusform>
        </translation>
    </message>
    <message>
        <source>Các chứng thư trong tệp đã có trong danh sách.</source>
        <translation>The certificates in this file are already in the list.</translation>
    </message>
    <message>
        <source>Xóa chứng thư tin cậy</source>
        <translation>Remove trusted certificate</translation>
    </message>
    <message>
        <source>Xóa “%1” khỏi danh sách chứng thư tin cậy?

Chữ ký số dựa trên chứng thư này sẽ không còn được coi là tin cậy.</source>
        <translation>Remove “%1” from the trusted certificates?

Signatures relying on this certificate will no longer be trusted.</translation>
    </message>
    <message>
        <source>Xóa</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Đang xóa chứng thư…</source>
        <translation>Removing the certificate…</translation>
    </message>
    <message>
        <source>Đã xóa chứng thư “%1”.</source>
        <translation>Removed certificate “%1”.</translation>
    </message>
    <message>
        <source>Thông tin in trên giấy tiếp nhận và các phiếu</source>
        <translation>Printed on the acknowledgement and the slips</translation>
    </message>
    <message>
        <source>Cơ &amp;quan:</source>
        <translation>&amp;Agency:</translation>
    </message>
    <message>
        <source>Bộ &amp;phận:</source>
        <translation>&amp;Desk:</translation>
    </message>
    <message>
        <source>Đị&amp;a danh (ghi ngày trên phiếu):</source>
        <translation>&amp;Place name (dates on the slips):</translation>
    </message>
    <message>
        <source>Nơi t&amp;rả kết quả:</source>
        <translation>&amp;Result location:</translation>
    </message>
    <message>
        <source>Điện thoạ&amp;i:</source>
        <translation>&amp;Phone:</translation>
    </message>
    <message>
        <source>Tiếp nhận</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>Tiếp nhận hồ sơ vào sáng thứ Bả&amp;y</source>
        <translation>Accept dossiers on Saturda&amp;y mornings</translation>
    </message>
    <message>
        <source>Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo.</source>
        <translation>Dossiers received after this time count from the next working day.</translation>
    </message>
    <message>
        <source>&amp;Giờ chốt tiếp nhận trong ngày:</source>
        <translation>Daily intake &amp;cut-off time:</translation>
    </message>
    <message>
        <source> ngày làm việc</source>
        <translation> working day(s)</translation>
    </message>
    <message>
        <source>Thời &amp;hạn tiếp nhận hồ sơ trực tuyến:</source>
        <translation>Online dossier &amp;intake deadline:</translation>
    </message>
    <message>
        <source>Cơ quan, bộ phận, địa danh và nơi trả kết quả được in trên phiếu: không được để trống.</source>
        <translation>Agency, desk, place and result location are printed on the slips: they must not be empty.</translation>
    </message>
    <message>
        <source>&amp;Giới hạn dung lượng:</source>
        <translation>&amp;Size limit:</translation>
    </message>
    <message>
        <source>Đang tính…</source>
        <translation>Measuring…</translation>
    </message>
    <message>
        <source>Đang dùng:</source>
        <translation>In use:</translation>
    </message>
    <message>
        <source>Thư mục:</source>
        <translation>Folder:</translation>
    </message>
    <message>
        <source>Bộ nhớ đệm giữ các tệp đính kèm đã tải về để xem lại và làm việc ngoại tuyến.</source>
        <translation>The cache keeps downloaded attachments for viewing again and for working offline.</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n tệp)</source>
        <translation>
            <numerusform>%1 (%n file)</numerusform>
            <numerusform>%1 (%n files)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 % giới hạn</source>
        <translation>%1 % of the limit</translation>
    </message>
    <message>
        <source>Ngôn ngữ &amp;giao diện:</source>
        <translation>Interface &amp;language:</translation>
    </message>
    <message>
        <source>Ngôn ngữ mới được áp dụng từ lần khởi động sau của ứng dụng.</source>
        <translation>The new language applies from the next start of the app.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Đăng nhập — Intake Desktop</source>
        <translation>Sign in — Intake Desktop</translation>
    </message>
    <message>
        <source>Đăng nhập hệ thống tiếp nhận hồ sơ</source>
        <translation>Sign in to the intake system</translation>
    </message>
    <message>
        <source>Đổi má&amp;y chủ…</source>
        <translation>Change &amp;server…</translation>
    </message>
    <message>
        <source>Máy chủ:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Tài khoản do quản trị hệ thống cấp</source>
        <translation>Account issued by the system administrator</translation>
    </message>
    <message>
        <source>&amp;Tên đăng nhập:</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <source>&amp;Mật khẩu:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>&amp;Hiện mật khẩu</source>
        <translation>&amp;Show password</translation>
    </message>
    <message>
        <source>&amp;Ghi nhớ mật khẩu</source>
        <translation>&amp;Remember password</translation>
    </message>
    <message>
        <source>Máy tính này không có kho mật khẩu an toàn của hệ điều hành: cần nhập mật khẩu mỗi lần đăng nhập.</source>
        <translation>This computer has no secure password store: the password must be typed at each sign-in.</translation>
    </message>
    <message>
        <source>Mật khẩu được cất trong kho mật khẩu của hệ điều hành, không ghi ra tệp.</source>
        <translation>The password is kept in the operating system&apos;s password store, never written to a file.</translation>
    </message>
    <message>
        <source>Đang đăng nhập…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>Đăng &amp;nhập</source>
        <translation>Sign &amp;in</translation>
    </message>
    <message>
        <source>&amp;Làm việc ngoại tuyến</source>
        <translation>Work &amp;offline</translation>
    </message>
    <message>
        <source>Mở các hồ sơ đã lưu trên máy mà không đăng nhập. Không nhận được hồ sơ mới; quyết định chờ trong hàng đợi gửi đến khi đăng nhập lại.</source>
        <translation>Open the dossiers stored on this computer without signing in. No new dossiers arrive; decisions wait in the outbox until you sign in again.</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Mật khẩu đã ghi nhớ không được hiển thị.</source>
        <translation>A remembered password is not shown.</translation>
    </message>
    <message>
        <source>Hãy nhập tên đăng nhập và mật khẩu.</source>
        <translation>Enter your user name and password.</translation>
    </message>
</context>
<context>
    <name>SignatureCheckWindow</name>
    <message>
        <source>Intake Desktop — Kiểm tra chữ ký số</source>
        <translation>Intake Desktop — Signature check</translation>
    </message>
    <message>
        <source>Mở hoặc kéo thả tệp PDF để kiểm tra chữ ký số.</source>
        <translation>Open or drop PDF files to check their digital signatures.</translation>
    </message>
    <message>
        <source>Thao tác</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Mở tệp PDF…</source>
        <translation>Open PDF files…</translation>
    </message>
    <message>
        <source>Sẵn sàng</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>Chọn tệp PDF</source>
        <translation>Choose PDF files</translation>
    </message>
    <message>
        <source>Tài liệu PDF (*.pdf);;Tất cả (*)</source>
        <translation>PDF documents (*.pdf);;All (*)</translation>
    </message>
    <message>
        <source>Đang nạp danh sách chứng thư tin cậy…</source>
        <translation>Loading the trusted certificates…</translation>
    </message>
    <message numerus="yes">
        <source>Đang kiểm tra %n tệp…</source>
        <translation>
            <numerusform>Checking %n file…</numerusform>
            <numerusform>Checking %n files…</numerusform>
        </translation>
    </message>
    <message>
        <source>Đã kiểm tra xong</source>
        <translation>Check finished</translation>
    </message>
    <message>
        <source>Đang kiểm tra…</source>
        <translation>Checking…</translation>
    </message>
    <message numerus="yes">
        <source>%n trang</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n chữ ký</source>
        <translation>
            <numerusform>%n signature</numerusform>
            <numerusform>%n signatures</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignatureDetails</name>
    <message>
        <source>Người ký</source>
        <translation>Signer</translation>
    </message>
    <message>
        <source>Số CCCD/CMND</source>
        <translation>Citizen ID / ID card</translation>
    </message>
    <message>
        <source>Mã số thuế</source>
        <translation>Tax code</translation>
    </message>
    <message>
        <source>Tổ chức cấp chứng thư</source>
        <translation>Certificate provider</translation>
    </message>
    <message>
        <source>Số hiệu chứng thư</source>
        <translation>Certificate serial</translation>
    </message>
    <message>
        <source>Hiệu lực chứng thư</source>
        <translation>Certificate validity</translation>
    </message>
    <message>
        <source>Thời điểm ký (người ký tự khai)</source>
        <translation>Signing time (as claimed by the signer)</translation>
    </message>
    <message>
        <source> (không hợp lệ)</source>
        <translation> (invalid)</translation>
    </message>
    <message>
        <source>Không có</source>
        <translation>None</translation>
    </message>
    <message>
        <source>Dấu thời gian</source>
        <translation>Timestamp</translation>
    </message>
    <message>
        <source>Tin cậy</source>
        <translation>Trust</translation>
    </message>
    <message>
        <source>Phạm vi ký</source>
        <translation>Coverage</translation>
    </message>
    <message>
        <source>Thay đổi sau khi ký</source>
        <translation>Changes after signing</translation>
    </message>
    <message>
        <source>Trường chữ ký</source>
        <translation>Signature field</translation>
    </message>
    <message>
        <source>%1 (phiên bản %2)</source>
        <translation>%1 (revision %2)</translation>
    </message>
    <message>
        <source>Thuật toán</source>
        <translation>Algorithms</translation>
    </message>
</context>
<context>
    <name>SignatureModels</name>
    <message>
        <source>Kết luận</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <source>Người ký</source>
        <translation>Signer</translation>
    </message>
    <message>
        <source>Số CCCD/MST</source>
        <translation>Citizen ID / tax code</translation>
    </message>
    <message>
        <source>Tổ chức cấp</source>
        <translation>Issuer</translation>
    </message>
    <message>
        <source>Thời điểm ký</source>
        <translation>Signing time</translation>
    </message>
    <message>
        <source>Dấu thời gian</source>
        <translation>Timestamp</translation>
    </message>
    <message>
        <source>Phạm vi ký</source>
        <translation>Coverage</translation>
    </message>
    <message>
        <source>Thay đổi sau khi ký</source>
        <translation>Changes after signing</translation>
    </message>
    <message>
        <source>Không phải chủ hồ sơ</source>
        <translation>Not the applicant</translation>
    </message>
    <message>
        <source>Trùng số CCCD của chủ hồ sơ</source>
        <translation>Same citizen ID as the applicant</translation>
    </message>
    <message>
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Số chữ ký</source>
        <translation>Signatures</translation>
    </message>
    <message>
        <source>Đang kiểm tra…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>SlipDialog</name>
    <message>
        <source>Phiếu cho công dân</source>
        <translation>Slip for the citizen</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>In phiếu…</source>
        <translation>Print slip…</translation>
    </message>
    <message>
        <source>Lưu bản sao…</source>
        <translation>Save a copy…</translation>
    </message>
    <message>
        <source>Lưu phiếu</source>
        <translation>Save slip</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
</context>
<context>
    <name>SnapshotModel</name>
    <message>
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Khi quyết định</source>
        <translation>At decision</translation>
    </message>
    <message>
        <source>Hiện nay</source>
        <translation>Now</translation>
    </message>
    <message>
        <source>SHA-256 (trước / nay)</source>
        <translation>SHA-256 (then / now)</translation>
    </message>
    <message>
        <source>CCCD người ký</source>
        <translation>Signers’ citizen IDs</translation>
    </message>
    <message>
        <source>Tệp trên hệ thống không còn là tệp cán bộ đã xem khi quyết định</source>
        <translation>The file on the server is no longer the one the officer saw when deciding</translation>
    </message>
    <message>
        <source>Kết luận đã đổi từ khi quyết định</source>
        <translation>Verdict changed since the decision</translation>
    </message>
    <message>
        <source>Không có trong bản ghi</source>
        <translation>Not in the record</translation>
    </message>
</context>
<context>
    <name>SystemFields</name>
    <message>
        <source>Intake Desktop (hệ thống của tỉnh theo chuẩn của ứng dụng)</source>
        <translation>Intake Desktop (a provincial system following the app&apos;s own standard)</translation>
    </message>
    <message>
        <source>VNPT iGate (Hệ thống thông tin giải quyết TTHC của VNPT)</source>
        <translation>VNPT iGate (VNPT&apos;s administrative procedure system)</translation>
    </message>
    <message>
        <source>&amp;Loại hệ thống:</source>
        <translation>&amp;System type:</translation>
    </message>
    <message>
        <source>Để trống: cùng địa chỉ máy chủ</source>
        <translation>Leave empty: the same as the server address</translation>
    </message>
    <message>
        <source>Địa chỉ máy chủ là cổng API (ví dụ https://apiigate.tinh.gov.vn); địa chỉ đăng nhập, realm và client id do đơn vị vận hành iGate của tỉnh cung cấp.</source>
        <translation>The server address is the API gateway (e.g. https://apiigate.tinh.gov.vn); the sign-in address, realm and client id come from whoever runs the province&apos;s iGate.</translation>
    </message>
    <message>
        <source>Địa chỉ đăng nhập (&amp;SSO):</source>
        <translation>Sign-in address (&amp;SSO):</translation>
    </message>
    <message>
        <source>&amp;Realm:</source>
        <translation>&amp;Realm:</translation>
    </message>
    <message>
        <source>&amp;Client id:</source>
        <translation>&amp;Client id:</translation>
    </message>
</context>
<context>
    <name>TestModeBanner</name>
    <message>
        <source>CHẾ ĐỘ THỬ NGHIỆM — dữ liệu mẫu, không gửi lên hệ thống</source>
        <translation>TEST MODE — sample data, nothing is sent to the system</translation>
    </message>
</context>
<context>
    <name>TrainingTools</name>
    <message>
        <source>Hướng dẫn tập huấn</source>
        <translation>Training guidance</translation>
    </message>
    <message>
        <source>&amp;Tập huấn</source>
        <translation>&amp;Training</translation>
    </message>
    <message>
        <source>&amp;Hướng dẫn</source>
        <translation>&amp;Guidance</translation>
    </message>
    <message>
        <source>&amp;Xuất bộ tình huống…</source>
        <translation>&amp;Export scenario pack…</translation>
    </message>
    <message>
        <source>&amp;Nhập bộ tình huống…</source>
        <translation>&amp;Import scenario pack…</translation>
    </message>
    <message>
        <source>Đang kiểm tra bộ tình huống…</source>
        <translation>Checking the scenario pack…</translation>
    </message>
</context>
<context>
    <name>TrustAnchorModel</name>
    <message>
        <source>Chứng thư</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>Hiệu lực</source>
        <translation>Validity</translation>
    </message>
    <message>
        <source>Vân tay SHA-256</source>
        <translation>SHA-256 fingerprint</translation>
    </message>
    <message>
        <source>Nguồn</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>từ %1
đến %2</source>
        <translation>from %1
to %2</translation>
    </message>
    <message>
        <source> (hết hạn)</source>
        <translation> (expired)</translation>
    </message>
    <message>
        <source>Có sẵn</source>
        <translation>Built-in</translation>
    </message>
    <message>
        <source>Đã nhập
%1</source>
        <translation>Imported
%1</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <source>Hợp lệ</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>Hợp lệ, có lưu ý</source>
        <translation>Valid with warnings</translation>
    </message>
    <message>
        <source>Không hợp lệ</source>
        <translation>Invalid</translation>
    </message>
    <message>
        <source>Chưa xác định được</source>
        <translation>Indeterminate</translation>
    </message>
    <message>
        <source>Chưa ký số</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <source>Không đọc được</source>
        <translation>Unreadable</translation>
    </message>
    <message>
        <source>Toàn bộ tệp</source>
        <translation>The whole file</translation>
    </message>
    <message>
        <source>Toàn bộ phiên bản đã ký</source>
        <translation>The whole signed revision</translation>
    </message>
    <message>
        <source>Một phần</source>
        <translation>Partial</translation>
    </message>
    <message>
        <source>Không có</source>
        <translation>None</translation>
    </message>
    <message>
        <source>Chỉ thêm chữ ký / dữ liệu xác thực</source>
        <translation>Signatures / validation data added only</translation>
    </message>
    <message>
        <source>Điền biểu mẫu</source>
        <translation>Form filled in</translation>
    </message>
    <message>
        <source>Thêm ghi chú</source>
        <translation>Annotations added</translation>
    </message>
    <message>
        <source>Thay đổi nội dung</source>
        <translation>Content changed</translation>
    </message>
    <message>
        <source>Tin cậy</source>
        <translation>Trusted</translation>
    </message>
    <message>
        <source>Không thuộc CA tin cậy</source>
        <translation>Not from a trusted CA</translation>
    </message>
    <message>
        <source>Hết hiệu lực</source>
        <translation>Expired</translation>
    </message>
    <message>
        <source>Đã bị thu hồi</source>
        <translation>Revoked</translation>
    </message>
    <message>
        <source>Chưa rõ thu hồi</source>
        <translation>Revocation unknown</translation>
    </message>
    <message>
        <source>Chưa kiểm tra</source>
        <translation>Not checked</translation>
    </message>
</context>
</TS>
