<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AlertDetail</name>
    <message>
        <location filename="../../ui/alerts/detail.py" line="366"/>
        <source>could not be read: %1</source>
        <translation>không đọc được: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="215"/>
        <source>No alert selected</source>
        <translation>Chưa chọn cảnh báo</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="216"/>
        <source>Select an alert in the queue and press Enter.</source>
        <translation>Chọn một cảnh báo trong hàng đợi rồi nhấn Enter.</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="233"/>
        <source>Raised %1 · status: %2</source>
        <translation>Phát sinh lúc %1 · trạng thái: %2</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="250"/>
        <source>no user is logged in to this console</source>
        <translation>chưa có người dùng nào đăng nhập vào máy trạm này</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="255"/>
        <source>Evidence not shown: %1</source>
        <translation>Không hiển thị chứng cứ: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="256"/>
        <source>Evidence is being written…</source>
        <translation>Đang ghi bằng chứng…</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="298"/>
        <source>Class</source>
        <translation>Loại phương tiện</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="300"/>
        <source>Track</source>
        <translation>Mã theo vết</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="312"/>
        <source>Rule</source>
        <translation>Quy tắc</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="355"/>
        <source>Acknowledge (A)</source>
        <translation>Xác nhận (A)</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="356"/>
        <source>Dispatch (D)</source>
        <translation>Điều động (D)</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="357"/>
        <source>Resolve (R)</source>
        <translation>Đã xử lý (R)</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="358"/>
        <source>False positive (F)</source>
        <translation>Báo động giả (F)</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="362"/>
        <source>Note (N)</source>
        <translation>Ghi chú (N)</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="363"/>
        <source>Measured</source>
        <translation>Số đo</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="364"/>
        <source>History</source>
        <translation>Lịch sử xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="369"/>
        <source>When</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="369"/>
        <source>Who</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="369"/>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="369"/>
        <source>Unit</source>
        <translation>Tổ tuần tra</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/detail.py" line="369"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>AlertQueueModel</name>
    <message>
        <location filename="../../ui/alerts/queue_model.py" line="184"/>
        <source>Priority</source>
        <translation>Mức ưu tiên</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_model.py" line="185"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_model.py" line="186"/>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_model.py" line="187"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_model.py" line="188"/>
        <source>Location</source>
        <translation>Vị trí</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_model.py" line="189"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_model.py" line="190"/>
        <source>Unit</source>
        <translation>Tổ tuần tra</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_model.py" line="191"/>
        <source>Plate</source>
        <translation>Biển số</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_model.py" line="192"/>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
</context>
<context>
    <name>AlertQueueView</name>
    <message>
        <location filename="../../ui/alerts/queue_view.py" line="134"/>
        <source>Open alerts</source>
        <translation>Cảnh báo đang mở</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_view.py" line="135"/>
        <source>All states</source>
        <translation>Mọi trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_view.py" line="138"/>
        <source>All types</source>
        <translation>Mọi loại</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_view.py" line="141"/>
        <source>All cameras</source>
        <translation>Tất cả camera</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_view.py" line="144"/>
        <source>Plate…</source>
        <translation>Biển số…</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_view.py" line="146"/>
        <source>Show alerts whose plate contains this (case, spaces and dots ignored)</source>
        <translation>Hiện cảnh báo có biển số chứa chuỗi này (không phân biệt hoa thường, dấu cách và dấu chấm)</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_view.py" line="148"/>
        <source>All routes</source>
        <translation>Mọi tuyến đường</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/queue_view.py" line="152"/>
        <source>Any time</source>
        <translation>Mọi thời điểm</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alerts/queue_view.py" line="152"/>
        <source>Last %n hour(s)</source>
        <translation>
            <numerusform>%n giờ qua</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alerts/queue_view.py" line="186"/>
        <source>%n alert(s)</source>
        <translation>
            <numerusform>%n cảnh báo</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AlertText</name>
    <message>
        <location filename="../../ui/alert_text.py" line="30"/>
        <source>Driving against the lane direction for %1 m</source>
        <translation>Đi ngược chiều làn %1 m</translation>
    </message>
    <message>
        <location filename="../../ui/alert_text.py" line="33"/>
        <source>Driving against the lane direction</source>
        <translation>Đi ngược chiều làn</translation>
    </message>
    <message>
        <location filename="../../ui/alert_text.py" line="37"/>
        <source>Vehicle stopped for %1 s</source>
        <translation>Xe dừng %1 giây</translation>
    </message>
    <message>
        <location filename="../../ui/alert_text.py" line="44"/>
        <source>%1 km/h where %2 km/h is allowed</source>
        <translation>%1 km/h, tốc độ cho phép %2 km/h</translation>
    </message>
    <message>
        <location filename="../../ui/alert_text.py" line="51"/>
        <source>Crossed the stop line %1 s into the red</source>
        <translation>Vượt vạch dừng khi đèn đỏ đã bật %1 giây</translation>
    </message>
    <message>
        <location filename="../../ui/alert_text.py" line="59"/>
        <source>%1 in a lane not meant for it (lane %2)</source>
        <translation>%1 đi vào làn không dành cho loại xe này (làn %2)</translation>
    </message>
    <message>
        <location filename="../../ui/alert_text.py" line="63"/>
        <source>Crossed a solid lane line</source>
        <translation>Đè vạch liền</translation>
    </message>
    <message>
        <location filename="../../ui/alert_text.py" line="67"/>
        <source>Pedestrian on the carriageway for %1 s</source>
        <translation>Người đi bộ trên lòng đường %1 giây</translation>
    </message>
    <message>
        <location filename="../../ui/alert_text.py" line="76"/>
        <source>Congestion: %1 % of the road taken, mean speed %2 km/h</source>
        <translation>Ùn tắc: %1 % mặt đường bị chiếm, tốc độ trung bình %2 km/h</translation>
    </message>
    <message>
        <location filename="../../ui/alert_text.py" line="82"/>
        <source>Congestion: %1 % of the road taken</source>
        <translation>Ùn tắc: %1 % mặt đường bị chiếm</translation>
    </message>
    <message>
        <location filename="../../ui/alert_text.py" line="89"/>
        <source>Camera view blocked or moved</source>
        <translation>Camera bị che hoặc bị xoay</translation>
    </message>
    <message>
        <location filename="../../ui/alert_text.py" line="92"/>
        <source>Camera %1: %2</source>
        <translation>Camera %1: %2</translation>
    </message>
    <message>
        <location filename="../../ui/alert_text.py" line="100"/>
        <source>Watch-list plate %1 read</source>
        <translation>Đã đọc được biển số %1 trong danh sách theo dõi</translation>
    </message>
</context>
<context>
    <name>CameraTile</name>
    <message>
        <location filename="../../ui/wall/tile.py" line="139"/>
        <source>Show zones and lines</source>
        <translation>Hiện vùng và vạch</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="143"/>
        <source>Show detections</source>
        <translation>Hiện đối tượng phát hiện</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="148"/>
        <source>Show new alerts in this tile</source>
        <translation>Hiện cảnh báo mới ở ô này</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="152"/>
        <source>Remove camera from tile</source>
        <translation>Gỡ camera khỏi ô</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="232"/>
        <source>Drop a camera here</source>
        <translation>Kéo camera vào đây</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="239"/>
        <source>CONNECTING…</source>
        <translation>ĐANG KẾT NỐI…</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="240"/>
        <source>STREAM STALLED</source>
        <translation>LUỒNG BỊ TREO</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="241"/>
        <source>CONNECTION LOST</source>
        <translation>MẤT KẾT NỐI</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="242"/>
        <source>CAMERA ERROR</source>
        <translation>LỖI CAMERA</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="243"/>
        <source>CAMERA DISABLED</source>
        <translation>CAMERA ĐÃ TẮT</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/wall/tile.py" line="251"/>
        <source>retrying in %n s</source>
        <translation>
            <numerusform>thử lại sau %n s</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="321"/>
        <source>DEMO MODEL</source>
        <translation>MÔ HÌNH DEMO</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="263"/>
        <source>Analysis: %1 of %2 fps</source>
        <translation>Phân tích: %1 / %2 khung/s</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="269"/>
        <source>(its share now: %1 fps)</source>
        <translation>(phần được chia lúc này: %1 khung/s)</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="274"/>
        <source>Frames skipped by the detector budget: %1</source>
        <translation>Khung hình bỏ qua do giới hạn bộ phát hiện: %1</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="277"/>
        <source>Frames skipped by the motion gate (nothing moved): %1</source>
        <translation>Khung hình bỏ qua vì không có chuyển động: %1</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="283"/>
        <source>The detector cannot analyse every camera at its rate.</source>
        <translation>Bộ phát hiện không phân tích kịp mọi camera ở tốc độ yêu cầu.</translation>
    </message>
    <message>
        <location filename="../../ui/wall/tile.py" line="287"/>
        <source>At the minimum rate: put fewer cameras on this PC, give them a smaller image_size, or move cameras to an analytics node.</source>
        <translation>Đang ở tốc độ tối thiểu: hãy bớt camera trên máy này, giảm image_size, hoặc chuyển camera sang máy phân tích.</translation>
    </message>
</context>
<context>
    <name>CameraTree</name>
    <message>
        <location filename="../../ui/wall/camera_tree.py" line="92"/>
        <location filename="../../ui/wall/camera_tree.py" line="191"/>
        <source>Search cameras (name, route, km, area)</source>
        <translation>Tìm camera (tên, tuyến, km, khu vực)</translation>
    </message>
    <message>
        <location filename="../../ui/wall/camera_tree.py" line="122"/>
        <source>Other</source>
        <translation>Khác</translation>
    </message>
    <message>
        <location filename="../../ui/wall/camera_tree.py" line="173"/>
        <source>Show large on the wall</source>
        <translation>Phóng to trên màn hình tường</translation>
    </message>
    <message>
        <location filename="../../ui/wall/camera_tree.py" line="175"/>
        <source>Tour these cameras on the wall</source>
        <translation>Xoay vòng các camera này trên màn hình tường</translation>
    </message>
</context>
<context>
    <name>ClipPlayer</name>
    <message>
        <location filename="../../ui/clip_player.py" line="87"/>
        <location filename="../../ui/clip_player.py" line="164"/>
        <source>No clip for this alert (yet)</source>
        <translation>Chưa có đoạn video cho cảnh báo này</translation>
    </message>
    <message>
        <location filename="../../ui/clip_player.py" line="156"/>
        <source>Pause</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <location filename="../../ui/clip_player.py" line="156"/>
        <source>Play</source>
        <translation>Phát</translation>
    </message>
    <message>
        <location filename="../../ui/clip_player.py" line="157"/>
        <source>Previous frame</source>
        <translation>Khung hình trước</translation>
    </message>
    <message>
        <location filename="../../ui/clip_player.py" line="158"/>
        <source>Next frame</source>
        <translation>Khung hình sau</translation>
    </message>
</context>
<context>
    <name>ConsoleStatusBar</name>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="169"/>
        <source>Analysis not running: %1</source>
        <translation>Phân tích không chạy: %1</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="172"/>
        <source>Analysis: %1 fps</source>
        <translation>Phân tích: %1 khung/s</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="123"/>
        <source>User: %1 (%2)</source>
        <translation>Người dùng: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="127"/>
        <source>TRAINING MODE - alerts are not real</source>
        <translation>CHẾ ĐỘ HUẤN LUYỆN - cảnh báo không có thật</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="131"/>
        <source>operator</source>
        <translation>trực ban</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="132"/>
        <source>supervisor</source>
        <translation>giám sát viên</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="133"/>
        <source>trainer</source>
        <translation>huấn luyện viên</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="134"/>
        <source>administrator</source>
        <translation>quản trị viên</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="141"/>
        <source>Offline - local storage only</source>
        <translation>Ngoại tuyến - chỉ lưu cục bộ</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="144"/>
        <source>Central storage: not connected yet</source>
        <translation>Kho trung tâm: chưa kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="148"/>
        <source>never</source>
        <translation>chưa lần nào</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="150"/>
        <source>Sync: last %1, %2 waiting</source>
        <translation>Đồng bộ: lần cuối %1, còn %2 chờ gửi</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="152"/>
        <source>Sync failing - </source>
        <translation>Đồng bộ đang lỗi - </translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="194"/>
        <source>BUS OFFLINE - alerts wait on the analytics nodes; reconnecting</source>
        <translation>MẤT KẾT NỐI BUS - cảnh báo chờ trên các máy phân tích; đang kết nối lại</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="197"/>
        <source>The site bus cannot be reached. Analytics nodes keep analysing and keep their alerts; they appear here when the bus is back. Actions taken meanwhile are saved here and sent then.</source>
        <translation>Không kết nối được bus của trung tâm. Các máy phân tích vẫn phân tích và giữ cảnh báo; cảnh báo sẽ hiện ở đây khi bus hoạt động lại. Thao tác trong lúc này được lưu tại máy và gửi đi sau.</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="203"/>
        <source>Bus: %1 node(s), %2 of %3 cameras analysed, %4 fps</source>
        <translation>Bus: %1 máy phân tích, %2/%3 camera được phân tích, %4 khung/giây</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="212"/>
        <source>%1: %2 of %3 cameras, %4 fps</source>
        <translation>%1: %2/%3 camera, %4 khung/giây</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="225"/>
        <source>No analytics node analyses these cameras (add a node or raise a node&apos;s capacity):</source>
        <translation>Chưa máy phân tích nào phân tích các camera này (thêm máy phân tích hoặc tăng sức chứa của máy):</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="231"/>
        <source>Every enabled camera is analysed by an analytics node.</source>
        <translation>Mọi camera đang bật đều được một máy phân tích xử lý.</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="239"/>
        <source>⚠ %1 camera(s) not analysed: no analytics node has room</source>
        <translation>⚠ %1 camera chưa được phân tích: không máy phân tích nào còn chỗ</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="304"/>
        <source>Cameras: %1 live, %2 down, %3 in total</source>
        <translation>Camera: %1 trực tuyến, %2 mất tín hiệu, tổng %3</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="177"/>
        <source>Analysis: %1 of %2 fps - overloaded</source>
        <translation>Phân tích: %1 / %2 khung/s - quá tải</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="180"/>
        <source>The cameras ask for more frames than this PC&apos;s detector can analyse; each camera gets a share (a maximised tile a larger one).</source>
        <translation>Các camera cần phân tích nhiều khung hình hơn khả năng bộ phát hiện của máy này; mỗi camera được chia một phần (ô đang phóng to được phần lớn hơn).</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="184"/>
        <source>Analysis: %1 of %2 fps</source>
        <translation>Phân tích: %1 / %2 khung/s</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="255"/>
        <source>Preparing the demo cameras (first start): %1 of %2, %3 %</source>
        <translation>Đang chuẩn bị camera demo (lần chạy đầu): %1 / %2, %3 %</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="262"/>
        <source>The simulated cameras are rendered once into video files; later starts play them at once. Their tiles connect when this is done.</source>
        <translation>Các camera mô phỏng được dựng thành tệp video một lần; những lần chạy sau phát ngay. Các ô camera sẽ kết nối khi việc này xong.</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="269"/>
        <source>⚠ Minimum rate on %1 of %2 cameras: fewer cameras per PC, a smaller image_size or an analytics node</source>
        <translation>⚠ Tốc độ tối thiểu ở %1 / %2 camera: bớt camera mỗi máy, giảm image_size hoặc dùng máy phân tích</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="280"/>
        <source>This PC&apos;s detector cannot serve every camera; these get only the minimum analysis rate:</source>
        <translation>Bộ phát hiện của máy này không phục vụ kịp mọi camera; các camera sau chỉ được phân tích ở tốc độ tối thiểu:</translation>
    </message>
    <message>
        <location filename="../../ui/wall/status_bar.py" line="285"/>
        <source>Put fewer cameras on this PC, give them a smaller image_size, or move cameras to an analytics node.</source>
        <translation>Hãy bớt camera trên máy này, giảm image_size của chúng, hoặc chuyển camera sang máy phân tích.</translation>
    </message>
</context>
<context>
    <name>DialogPrompts</name>
    <message>
        <location filename="../../ui/alerts/triage.py" line="43"/>
        <source>Note (required):</source>
        <translation>Ghi chú (bắt buộc):</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/triage.py" line="43"/>
        <source>Note:</source>
        <translation>Ghi chú:</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/triage.py" line="57"/>
        <source>Dispatch a patrol unit</source>
        <translation>Điều động tổ tuần tra</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/triage.py" line="58"/>
        <source>Nearest available unit is proposed:</source>
        <translation>Đề xuất tổ gần nhất đang sẵn sàng:</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <location filename="../../ui/admin/first_admin.py" line="26"/>
        <source>Create the administrator</source>
        <translation>Tạo tài khoản quản trị</translation>
    </message>
    <message>
        <location filename="../../ui/admin/first_admin.py" line="30"/>
        <source>This console has no user yet. Create the administrator account; the administrator then adds operators, supervisors and trainers.</source>
        <translation>Máy trạm này chưa có người dùng. Hãy tạo tài khoản quản trị; sau đó quản trị viên thêm trực ban, giám sát viên và giảng viên.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/first_admin.py" line="45"/>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/admin/first_admin.py" line="46"/>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <location filename="../../ui/admin/first_admin.py" line="47"/>
        <source>Repeat the password</source>
        <translation>Nhập lại mật khẩu</translation>
    </message>
    <message>
        <location filename="../../ui/admin/first_admin.py" line="65"/>
        <source>The two passwords differ.</source>
        <translation>Hai mật khẩu không khớp.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/first_admin.py" line="70"/>
        <source>Cannot create the account: %1</source>
        <translation>Không tạo được tài khoản: %1</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <location filename="../../ui/alerts/handover.py" line="278"/>
        <source>Reading the shift&apos;s alerts…</source>
        <translation>Đang đọc các cảnh báo của ca…</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="280"/>
        <source>The shift&apos;s alerts could not be read: %1</source>
        <translation>Không đọc được các cảnh báo của ca: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="300"/>
        <source>Export report</source>
        <translation>Xuất biên bản</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="306"/>
        <source>Shift handover</source>
        <translation>Bàn giao ca</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="307"/>
        <source>Notes for the next shift:</source>
        <translation>Ghi chú cho ca sau:</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="308"/>
        <source>Save and hand over</source>
        <translation>Lưu và bàn giao</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="309"/>
        <source>Export HTML…</source>
        <translation>Xuất HTML…</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="310"/>
        <source>Export PDF…</source>
        <translation>Xuất PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="311"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>HandoverRenderer</name>
    <message>
        <location filename="../../ui/alerts/handover.py" line="80"/>
        <source>Shift from %1 to %2, handed over by %3</source>
        <translation>Ca trực từ %1 đến %2, người bàn giao: %3</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="106"/>
        <source>Raised</source>
        <translation>Phát sinh</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="107"/>
        <source>Priority</source>
        <translation>Mức ưu tiên</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="108"/>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="73"/>
        <location filename="../../ui/alerts/handover.py" line="109"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="67"/>
        <source>Shift handover report</source>
        <translation>Biên bản bàn giao ca trực</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="68"/>
        <source>Alerts of the shift by type and state</source>
        <translation>Cảnh báo trong ca theo loại và trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="69"/>
        <source>Total</source>
        <translation>Tổng</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="70"/>
        <source>No alerts in this shift.</source>
        <translation>Không có cảnh báo nào trong ca.</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="71"/>
        <source>Alerts still open</source>
        <translation>Cảnh báo chưa xử lý xong</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="72"/>
        <source>Camera outages</source>
        <translation>Camera mất tín hiệu</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="73"/>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="74"/>
        <source>Until</source>
        <translation>Đến</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="74"/>
        <source>Reason</source>
        <translation>Nguyên nhân</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="75"/>
        <source>Notes for the next shift</source>
        <translation>Ghi chú cho ca sau</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="110"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="111"/>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="137"/>
        <source>still down</source>
        <translation>vẫn mất tín hiệu</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/handover.py" line="145"/>
        <source>(none)</source>
        <translation>(không có)</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../ui/labels.py" line="19"/>
        <source>Wrong way</source>
        <translation>Đi ngược chiều</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="20"/>
        <source>Stopped vehicle</source>
        <translation>Xe dừng đỗ</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="21"/>
        <source>Speeding</source>
        <translation>Quá tốc độ</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="22"/>
        <source>Red light</source>
        <translation>Vượt đèn đỏ</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="23"/>
        <source>Lane violation</source>
        <translation>Sai làn đường</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="24"/>
        <source>Pedestrian on road</source>
        <translation>Người đi bộ trên đường</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="25"/>
        <source>Congestion</source>
        <translation>Ùn tắc</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="26"/>
        <source>Camera fault</source>
        <translation>Sự cố camera</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="27"/>
        <source>Watch-list plate</source>
        <translation>Biển số trong danh sách theo dõi</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="34"/>
        <source>New</source>
        <translation>Mới</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="35"/>
        <source>Acknowledged</source>
        <translation>Đã xác nhận</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="36"/>
        <source>Dispatched</source>
        <translation>Đã điều động</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="37"/>
        <source>Resolved</source>
        <translation>Đã xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="38"/>
        <source>False positive</source>
        <translation>Báo động giả</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="41"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="47"/>
        <source>Critical</source>
        <translation>Khẩn cấp</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="48"/>
        <source>High</source>
        <translation>Cao</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="49"/>
        <source>Medium</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="50"/>
        <source>Low</source>
        <translation>Thấp</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="57"/>
        <source>Connecting</source>
        <translation>Đang kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="58"/>
        <source>Live</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="59"/>
        <source>Stalled</source>
        <translation>Bị treo</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="60"/>
        <source>Offline</source>
        <translation>Mất kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="61"/>
        <source>Error</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="62"/>
        <source>Disabled</source>
        <translation>Đã tắt</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="69"/>
        <source>Available</source>
        <translation>Sẵn sàng</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="70"/>
        <source>En route</source>
        <translation>Đang di chuyển</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="71"/>
        <source>On scene</source>
        <translation>Tại hiện trường</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="72"/>
        <source>Off duty</source>
        <translation>Nghỉ</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="79"/>
        <source>person</source>
        <translation>người đi bộ</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="80"/>
        <source>bicycle</source>
        <translation>xe đạp</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="81"/>
        <source>car</source>
        <translation>ô tô</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="82"/>
        <source>motorcycle</source>
        <translation>xe máy</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="83"/>
        <source>bus</source>
        <translation>xe khách</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="84"/>
        <source>truck</source>
        <translation>xe tải</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="92"/>
        <source>Speed (km/h)</source>
        <translation>Tốc độ (km/h)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="93"/>
        <source>Speed limit (km/h)</source>
        <translation>Tốc độ giới hạn (km/h)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="94"/>
        <location filename="../../ui/labels.py" line="95"/>
        <source>Stopped for (s)</source>
        <translation>Thời gian dừng (giây)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="96"/>
        <source>On the road for (s)</source>
        <translation>Thời gian trên đường (giây)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="97"/>
        <source>Occupancy</source>
        <translation>Mật độ chiếm dụng</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="98"/>
        <source>Mean speed (km/h)</source>
        <translation>Tốc độ trung bình (km/h)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="99"/>
        <source>Share of view changed</source>
        <translation>Tỷ lệ khung hình thay đổi</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="100"/>
        <source>Red for (s)</source>
        <translation>Đèn đỏ đã bật (giây)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="101"/>
        <source>Signal</source>
        <translation>Đèn tín hiệu</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="102"/>
        <source>Distance against traffic (m)</source>
        <translation>Quãng đường đi ngược chiều (m)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="103"/>
        <source>Distance against traffic (px)</source>
        <translation>Quãng đường đi ngược chiều (điểm ảnh)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="106"/>
        <source>Lane</source>
        <translation>Làn</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="107"/>
        <source>Class</source>
        <translation>Loại phương tiện</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="108"/>
        <source>Crossed</source>
        <translation>Vượt qua</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="109"/>
        <source>Camera state</source>
        <translation>Trạng thái camera</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="110"/>
        <source>Reason</source>
        <translation>Nguyên nhân</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="111"/>
        <source>Plate</source>
        <translation>Biển số</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="112"/>
        <source>Read in alert</source>
        <translation>Đọc được trong cảnh báo</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="113"/>
        <source>Read for</source>
        <translation>Đọc khi xử lý</translation>
    </message>
</context>
<context>
    <name>LegalHoldControl</name>
    <message>
        <location filename="../../ui/alerts/legal_hold.py" line="109"/>
        <source>Legal hold not changed: %1</source>
        <translation>Chưa thay đổi lưu giữ pháp lý: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/legal_hold.py" line="119"/>
        <source>Legal hold: ON - the evidence is kept from deletion</source>
        <translation>Lưu giữ pháp lý: BẬT - chứng cứ không bị xóa</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/legal_hold.py" line="120"/>
        <source>Legal hold: on some of the evidence files</source>
        <translation>Lưu giữ pháp lý: bật cho một số tệp chứng cứ</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/legal_hold.py" line="121"/>
        <source>Legal hold: off</source>
        <translation>Lưu giữ pháp lý: tắt</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/legal_hold.py" line="122"/>
        <source>Legal hold: no stored evidence yet</source>
        <translation>Lưu giữ pháp lý: chưa có chứng cứ được lưu</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/legal_hold.py" line="131"/>
        <source>Lift legal hold</source>
        <translation>Bỏ lưu giữ pháp lý</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/legal_hold.py" line="131"/>
        <source>Put on legal hold</source>
        <translation>Đặt lưu giữ pháp lý</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../ui/admin/lock_screen.py" line="43"/>
        <source>Session locked</source>
        <translation>Phiên làm việc đã khóa</translation>
    </message>
    <message>
        <location filename="../../ui/admin/lock_screen.py" line="46"/>
        <source>The session of %1 is locked.</source>
        <translation>Phiên làm việc của %1 đã bị khóa.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/lock_screen.py" line="51"/>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <location filename="../../ui/admin/lock_screen.py" line="57"/>
        <source>Unlock</source>
        <translation>Mở khóa</translation>
    </message>
    <message>
        <location filename="../../ui/admin/lock_screen.py" line="60"/>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <location filename="../../ui/admin/lock_screen.py" line="74"/>
        <source>Too many failed attempts: the account is locked.</source>
        <translation>Nhập sai quá nhiều lần: tài khoản đã bị khóa.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/lock_screen.py" line="77"/>
        <source>Wrong password.</source>
        <translation>Sai mật khẩu.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/admin/login.py" line="28"/>
        <source>Log in to %1</source>
        <translation>Đăng nhập %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/login.py" line="43"/>
        <source>Log in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/admin/login.py" line="45"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/admin/login.py" line="49"/>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/admin/login.py" line="50"/>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <location filename="../../ui/admin/login.py" line="61"/>
        <source>Enter your user name and password.</source>
        <translation>Nhập tên đăng nhập và mật khẩu.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/login.py" line="68"/>
        <source>This account is locked after repeated failed logins. Try again later or ask an administrator.</source>
        <translation>Tài khoản đã bị khóa do đăng nhập sai nhiều lần. Hãy thử lại sau hoặc liên hệ quản trị viên.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/login.py" line="74"/>
        <source>Wrong user name or password.</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu.</translation>
    </message>
</context>
<context>
    <name>MainMenus</name>
    <message>
        <location filename="../../ui/main_menus.py" line="136"/>
        <source>Save wall layout</source>
        <translation>Lưu bố cục màn hình tường</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="136"/>
        <source>Name of this wall layout:</source>
        <translation>Tên bố cục:</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="165"/>
        <source>(no saved layouts)</source>
        <translation>(chưa có bố cục đã lưu)</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="169"/>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="170"/>
        <source>&amp;View</source>
        <translation>&amp;Hiển thị</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="171"/>
        <source>&amp;Wall</source>
        <translation>&amp;Màn hình tường</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="172"/>
        <source>&amp;Tools</source>
        <translation>&amp;Công cụ</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="173"/>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="174"/>
        <source>Shift handover…</source>
        <translation>Bàn giao ca…</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="175"/>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="176"/>
        <source>Wall layout</source>
        <translation>Bố cục màn hình tường</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="178"/>
        <source>Wall layout %1</source>
        <translation>Bố cục màn hình tường %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="179"/>
        <source>Save layout…</source>
        <translation>Lưu bố cục…</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="180"/>
        <source>Saved layouts</source>
        <translation>Bố cục đã lưu</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="181"/>
        <source>Tour</source>
        <translation>Xoay vòng</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="182"/>
        <source>Cycle the selected group&apos;s cameras on the wall</source>
        <translation>Lần lượt hiển thị các camera của nhóm đang chọn</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="183"/>
        <source>Alert pop-up</source>
        <translation>Bật camera khi có cảnh báo</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="185"/>
        <source>Show a new high-priority alert&apos;s camera in the designated tile</source>
        <translation>Hiện camera của cảnh báo ưu tiên cao trong ô đã chỉ định</translation>
    </message>
    <message>
        <location filename="../../ui/main_menus.py" line="187"/>
        <source>Zone editor…</source>
        <translation>Soạn vùng giám sát…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="360"/>
        <source>No handover report yet. Write one at the end of the shift (File &gt; Shift handover).</source>
        <translation>Chưa có biên bản bàn giao. Lập biên bản khi hết ca (Tệp &gt; Bàn giao ca).</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="392"/>
        <source>Cameras</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="393"/>
        <source>Route map</source>
        <translation>Sơ đồ tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="394"/>
        <source>Alert queue</source>
        <translation>Hàng đợi cảnh báo</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="395"/>
        <source>Statistics</source>
        <translation>Thống kê</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="396"/>
        <source>Alert detail</source>
        <translation>Chi tiết cảnh báo</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="397"/>
        <source>Patrol units</source>
        <translation>Tổ tuần tra</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="398"/>
        <source>Shift handover</source>
        <translation>Bàn giao ca</translation>
    </message>
</context>
<context>
    <name>PatrolPanel</name>
    <message>
        <location filename="../../ui/alerts/patrol_panel.py" line="98"/>
        <source>Unit</source>
        <translation>Tổ tuần tra</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/patrol_panel.py" line="98"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/patrol_panel.py" line="98"/>
        <source>Patrol segment</source>
        <translation>Đoạn tuần tra</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/patrol_panel.py" line="98"/>
        <source>Task</source>
        <translation>Nhiệm vụ</translation>
    </message>
</context>
<context>
    <name>PlatePanel</name>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="85"/>
        <source>white</source>
        <translation>nền trắng</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="86"/>
        <source>yellow</source>
        <translation>nền vàng</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="87"/>
        <source>blue</source>
        <translation>nền xanh</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="88"/>
        <source>red</source>
        <translation>nền đỏ</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="89"/>
        <source>colour unknown</source>
        <translation>chưa rõ màu nền</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="143"/>
        <source>Not read</source>
        <translation>Chưa đọc được</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="164"/>
        <source>Reading the plate from the evidence…</source>
        <translation>Đang đọc biển số từ chứng cứ…</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="167"/>
        <source>No vehicle in this alert.</source>
        <translation>Cảnh báo này không có phương tiện.</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="168"/>
        <location filename="../../ui/alerts/plate_panel.py" line="226"/>
        <source>No plate could be read from the evidence frames.</source>
        <translation>Không đọc được biển số từ các khung hình chứng cứ.</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="171"/>
        <source>Entered by an operator · %1</source>
        <translation>Do cán bộ nhập · %1</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="174"/>
        <source>Read from %1 frame(s) · %2 sure · %3</source>
        <translation>Đọc từ %1 khung hình · độ tin cậy %2 · %3</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="180"/>
        <source>not a valid plate format</source>
        <translation>không đúng định dạng biển số</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="184"/>
        <source>Number plate</source>
        <translation>Biển số xe</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="185"/>
        <source>Read plate</source>
        <translation>Đọc biển số</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="186"/>
        <source>Correct…</source>
        <translation>Sửa…</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="187"/>
        <source>Watch…</source>
        <translation>Theo dõi…</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="188"/>
        <source>Read the plate now from this alert&apos;s evidence</source>
        <translation>Đọc biển số ngay từ chứng cứ của cảnh báo này</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="190"/>
        <source>Raise a priority alert whenever this plate is read on any camera</source>
        <translation>Phát cảnh báo ưu tiên mỗi khi biển số này được đọc trên bất kỳ camera nào</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="204"/>
        <source>Sign in first.</source>
        <translation>Hãy đăng nhập trước.</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="228"/>
        <source>Plate read: %1</source>
        <translation>Đã đọc biển số: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="233"/>
        <source>Not saved, nothing changed: %1</source>
        <translation>Chưa lưu được, không có gì thay đổi: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="253"/>
        <source>Plate saved: %1</source>
        <translation>Đã lưu biển số: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="270"/>
        <source>%1 is on the watch-list</source>
        <translation>%1 đã vào danh sách theo dõi</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <location filename="../../ui/qt_strings.py" line="13"/>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <location filename="../../ui/qt_strings.py" line="14"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/qt_strings.py" line="15"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../../ui/qt_strings.py" line="16"/>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../ui/qt_strings.py" line="17"/>
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <location filename="../../ui/qt_strings.py" line="18"/>
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <location filename="../../ui/qt_strings.py" line="19"/>
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
</context>
<context>
    <name>ReanalysisDialog</name>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="100"/>
        <source>Site file with the rules to try</source>
        <translation>Tệp cấu hình chứa quy tắc cần thử</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="100"/>
        <source>Site file (*.yaml)</source>
        <translation>Tệp cấu hình (*.yaml)</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="113"/>
        <source>That site file has no camera %1.</source>
        <translation>Tệp cấu hình đó không có camera %1.</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="125"/>
        <source>Analysing the recording…</source>
        <translation>Đang phân tích bản ghi…</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="165"/>
        <source>%1 alerts from %2 analysed frames (%3 s).</source>
        <translation>%1 cảnh báo từ %2 khung hình đã phân tích (%3 s).</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="173"/>
        <source>Re-analyse with other rules</source>
        <translation>Phân tích lại với quy tắc khác</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="176"/>
        <source>Camera %1 from %2 to %3</source>
        <translation>Camera %1 từ %2 đến %3</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="182"/>
        <source>Rules: the site&apos;s current rules</source>
        <translation>Quy tắc: quy tắc hiện hành của trung tâm</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="184"/>
        <source>Rules: %1</source>
        <translation>Quy tắc: %1</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="186"/>
        <source>Choose site file…</source>
        <translation>Chọn tệp cấu hình…</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="187"/>
        <source>Re-analyse</source>
        <translation>Phân tích lại</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="189"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="189"/>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="189"/>
        <source>Priority</source>
        <translation>Mức ưu tiên</translation>
    </message>
    <message>
        <location filename="../../ui/replay/reanalysis.py" line="189"/>
        <source>Message</source>
        <translation>Nội dung</translation>
    </message>
</context>
<context>
    <name>ReasonText</name>
    <message>
        <location filename="../../ui/reason_text.py" line="26"/>
        <source>connection refused by %1 (nothing listens there)</source>
        <translation>%1 từ chối kết nối (không có dịch vụ nào nghe ở đó)</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="30"/>
        <source>no answer from %1 within %2 s</source>
        <translation>%1 không trả lời trong %2 giây</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="34"/>
        <source>unknown host &apos;%1&apos; (name not found)</source>
        <translation>không tìm thấy máy chủ &apos;%1&apos; (tên không phân giải được)</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="38"/>
        <source>network error reaching %1: %2</source>
        <translation>lỗi mạng khi kết nối tới %1: %2</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="42"/>
        <source>401 Unauthorized: wrong user name or password</source>
        <translation>401 Unauthorized: sai tên đăng nhập hoặc mật khẩu</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="46"/>
        <source>403 Forbidden: the camera refuses this user</source>
        <translation>403 Forbidden: camera từ chối người dùng này</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="50"/>
        <source>404 Not Found: wrong stream path</source>
        <translation>404 Not Found: sai đường dẫn luồng</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="54"/>
        <source>503 Service Unavailable: the camera is busy or has too many clients</source>
        <translation>503 Service Unavailable: camera đang bận hoặc có quá nhiều kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="60"/>
        <source>the server did not answer as an RTSP camera</source>
        <translation>máy chủ không trả lời như một camera RTSP</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="64"/>
        <source>the server accepted the connection but sent no video</source>
        <translation>máy chủ nhận kết nối nhưng không gửi hình</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="68"/>
        <source>the camera answered but the video could not be decoded (unsupported codec?)</source>
        <translation>camera có trả lời nhưng không giải mã được hình (codec không hỗ trợ?)</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="75"/>
        <source>no frames for %1 s (stream ended or stalled)</source>
        <translation>không có hình trong %1 giây (luồng đã dừng hoặc bị treo)</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="77"/>
        <source>no frames for %1 s</source>
        <translation>không có hình trong %1 giây</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="78"/>
        <source>the stream ended</source>
        <translation>luồng đã kết thúc</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="79"/>
        <source>file not found: %1</source>
        <translation>không tìm thấy tệp: %1</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="82"/>
        <source>the file is empty (0 bytes): %1</source>
        <translation>tệp rỗng (0 byte): %1</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="86"/>
        <source>not a video that can be decoded (corrupt or unsupported): %1</source>
        <translation>không phải video giải mã được (hỏng hoặc không hỗ trợ): %1</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="92"/>
        <source>the file has no readable video frames: %1</source>
        <translation>tệp không có khung hình đọc được: %1</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="94"/>
        <source>decoding failed in %1</source>
        <translation>giải mã thất bại ở %1</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="97"/>
        <source>capture device %1 is not available</source>
        <translation>không dùng được thiết bị ghi hình %1</translation>
    </message>
    <message>
        <location filename="../../ui/reason_text.py" line="99"/>
        <source>bad simulator URL: %1</source>
        <translation>URL mô phỏng không hợp lệ: %1</translation>
    </message>
</context>
<context>
    <name>ReplayTrainingActions</name>
    <message>
        <location filename="../../ui/replay_training.py" line="171"/>
        <source>Replay…</source>
        <translation>Xem lại…</translation>
    </message>
    <message>
        <location filename="../../ui/replay_training.py" line="172"/>
        <source>Training mode…</source>
        <translation>Chế độ đào tạo…</translation>
    </message>
    <message>
        <location filename="../../ui/replay_training.py" line="174"/>
        <source>Replay</source>
        <translation>Xem lại</translation>
    </message>
    <message>
        <location filename="../../ui/replay_training.py" line="176"/>
        <source>Training (ĐÀO TẠO)</source>
        <translation>Đào tạo (ĐÀO TẠO)</translation>
    </message>
</context>
<context>
    <name>ReplayWindow</name>
    <message>
        <location filename="../../ui/replay/window.py" line="216"/>
        <location filename="../../ui/replay/window.py" line="236"/>
        <location filename="../../ui/replay/window.py" line="433"/>
        <location filename="../../ui/replay/window.py" line="468"/>
        <source>Replay</source>
        <translation>Xem lại</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="298"/>
        <source>Choose cameras and a time, or open a video file.</source>
        <translation>Chọn camera và thời điểm, hoặc mở một tệp video.</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="357"/>
        <source>Camera offline</source>
        <translation>Camera mất kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="359"/>
        <source>Not recorded at this time</source>
        <translation>Không có bản ghi vào thời điểm này</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="390"/>
        <location filename="../../ui/replay/window.py" line="399"/>
        <source>Export clip</source>
        <translation>Xuất đoạn video</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="390"/>
        <source>MP4 video (*.mp4)</source>
        <translation>Video MP4 (*.mp4)</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="433"/>
        <source>Tick one to four cameras.</source>
        <translation>Hãy chọn từ một đến bốn camera.</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="460"/>
        <source>Open video file</source>
        <translation>Mở tệp video</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="460"/>
        <source>Video files (*.mp4 *.avi *.mkv *.mov)</source>
        <translation>Tệp video (*.mp4 *.avi *.mkv *.mov)</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="469"/>
        <source>Cameras (up to four)</source>
        <translation>Camera (tối đa bốn)</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="470"/>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="471"/>
        <source>Open recordings</source>
        <translation>Mở bản ghi</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="472"/>
        <source>Open video file…</source>
        <translation>Mở tệp video…</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="474"/>
        <source>Pause</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="474"/>
        <source>Play</source>
        <translation>Phát</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="475"/>
        <source>Previous frame</source>
        <translation>Khung hình trước</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="476"/>
        <source>Next frame</source>
        <translation>Khung hình sau</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="477"/>
        <source>Playback speed</source>
        <translation>Tốc độ phát</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="478"/>
        <source>Mark in</source>
        <translation>Đánh dấu đầu</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="479"/>
        <source>Mark out</source>
        <translation>Đánh dấu cuối</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="480"/>
        <source>Export clip…</source>
        <translation>Xuất đoạn video…</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="481"/>
        <source>Re-analyse…</source>
        <translation>Phân tích lại…</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="483"/>
        <source>Which alerts other rule settings would have raised on this recording</source>
        <translation>Những cảnh báo mà thiết lập quy tắc khác sẽ tạo ra trên bản ghi này</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="489"/>
        <source>recorded</source>
        <translation>có bản ghi</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="490"/>
        <source>camera offline</source>
        <translation>camera mất kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="491"/>
        <source>not recorded</source>
        <translation>không ghi</translation>
    </message>
    <message>
        <location filename="../../ui/replay/window.py" line="492"/>
        <source>alert (click to open)</source>
        <translation>cảnh báo (bấm để mở)</translation>
    </message>
</context>
<context>
    <name>RouteMap</name>
    <message numerus="yes">
        <location filename="../../ui/wall/route_map.py" line="105"/>
        <source>%n open alert(s)</source>
        <translation>
            <numerusform>%n cảnh báo đang mở</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatisticsView</name>
    <message>
        <location filename="../../ui/admin/statistics.py" line="155"/>
        <source>All cameras</source>
        <translation>Tất cả camera</translation>
    </message>
    <message>
        <location filename="../../ui/admin/statistics.py" line="157"/>
        <source>Route %1</source>
        <translation>Tuyến %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/statistics.py" line="299"/>
        <source>night</source>
        <translation>ca đêm</translation>
    </message>
    <message>
        <location filename="../../ui/admin/statistics.py" line="299"/>
        <source>day</source>
        <translation>ca ngày</translation>
    </message>
    <message>
        <location filename="../../ui/admin/statistics.py" line="306"/>
        <source>No acknowledged alerts yet</source>
        <translation>Chưa có cảnh báo nào được xác nhận</translation>
    </message>
    <message>
        <location filename="../../ui/admin/statistics.py" line="323"/>
        <source>Cameras:</source>
        <translation>Camera:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/statistics.py" line="324"/>
        <source>Vehicles per minute by class (last hour)</source>
        <translation>Lưu lượng xe mỗi phút theo loại (1 giờ qua)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/statistics.py" line="325"/>
        <source>Alerts per hour by type (last 24 h)</source>
        <translation>Cảnh báo mỗi giờ theo loại (24 giờ qua)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/statistics.py" line="326"/>
        <source>Mean time to acknowledge per shift (s)</source>
        <translation>Thời gian xác nhận trung bình theo ca (giây)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/statistics.py" line="327"/>
        <source>vehicles per minute</source>
        <translation>xe/phút</translation>
    </message>
    <message>
        <location filename="../../ui/admin/statistics.py" line="328"/>
        <source>alerts</source>
        <translation>cảnh báo</translation>
    </message>
    <message>
        <location filename="../../ui/admin/statistics.py" line="329"/>
        <source>seconds</source>
        <translation>giây</translation>
    </message>
</context>
<context>
    <name>TimelineWidget</name>
    <message>
        <location filename="../../ui/replay/timeline.py" line="102"/>
        <source>No recording</source>
        <translation>Không có bản ghi</translation>
    </message>
    <message>
        <location filename="../../ui/replay/timeline.py" line="178"/>
        <source>Camera offline</source>
        <translation>Camera mất kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/replay/timeline.py" line="180"/>
        <source>Not recorded</source>
        <translation>Không ghi</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <location filename="../../ui/training/panel.py" line="270"/>
        <source>Import training scenario</source>
        <translation>Nhập kịch bản tập luyện</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="270"/>
        <source>Scenario (*.yaml *.yml)</source>
        <translation>Kịch bản (*.yaml *.yml)</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="277"/>
        <source>Log in as a trainer to add scenarios.</source>
        <translation>Hãy đăng nhập bằng tài khoản huấn luyện viên để thêm kịch bản.</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="416"/>
        <source>False positive</source>
        <translation>Báo động giả</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="416"/>
        <source>Why?</source>
        <translation>Lý do?</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="436"/>
        <source>Classified as %1</source>
        <translation>Đã phân loại là %1</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="442"/>
        <source>Scenario</source>
        <translation>Kịch bản</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="443"/>
        <source>Start training run</source>
        <translation>Bắt đầu buổi tập</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="444"/>
        <source>End run and score</source>
        <translation>Kết thúc và chấm điểm</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="445"/>
        <source>Import scenario…</source>
        <translation>Nhập kịch bản…</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="446"/>
        <source>Trainers only: add a training scenario file</source>
        <translation>Chỉ dành cho huấn luyện viên: thêm tệp kịch bản tập luyện</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="448"/>
        <source>At</source>
        <translation>Lúc</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="448"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="448"/>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="448"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="450"/>
        <source>Acknowledge</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="451"/>
        <source>Dispatch</source>
        <translation>Điều động</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="452"/>
        <source>Resolve</source>
        <translation>Đã xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="453"/>
        <source>False positive…</source>
        <translation>Báo động giả…</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="454"/>
        <source>Classify</source>
        <translation>Phân loại</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="455"/>
        <source>Run</source>
        <translation>Buổi tập</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="456"/>
        <source>Score report</source>
        <translation>Bảng điểm</translation>
    </message>
    <message>
        <location filename="../../ui/training/panel.py" line="457"/>
        <source>Training cameras appear here during a run.</source>
        <translation>Hình ảnh camera tập luyện hiện ở đây trong buổi tập.</translation>
    </message>
</context>
<context>
    <name>TrainingReportView</name>
    <message>
        <location filename="../../ui/training/report.py" line="55"/>
        <location filename="../../ui/training/report.py" line="117"/>
        <source>Training score report</source>
        <translation>Bảng điểm buổi tập</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="56"/>
        <source>Scenario</source>
        <translation>Kịch bản</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="57"/>
        <source>Trainee</source>
        <translation>Học viên</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="58"/>
        <source>Run</source>
        <translation>Buổi tập</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="59"/>
        <source>Started</source>
        <translation>Bắt đầu</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="60"/>
        <source>Duration</source>
        <translation>Thời lượng</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="61"/>
        <source>Score</source>
        <translation>Điểm</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="62"/>
        <source>Incidents</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="63"/>
        <source>Incident</source>
        <translation>Sự cố</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="64"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="65"/>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="66"/>
        <source>At (s)</source>
        <translation>Thời điểm (s)</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="67"/>
        <source>Acknowledged</source>
        <translation>Đã xác nhận</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="68"/>
        <source>Time to acknowledge (s)</source>
        <translation>Thời gian xác nhận (s)</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="69"/>
        <source>Classification</source>
        <translation>Phân loại</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="70"/>
        <source>Dispatch</source>
        <translation>Điều động</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="71"/>
        <source>Points</source>
        <translation>Điểm</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="72"/>
        <source>False alarms</source>
        <translation>Báo động giả</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="73"/>
        <source>False alarm</source>
        <translation>Báo động giả</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="74"/>
        <source>Dismissed</source>
        <translation>Đã loại bỏ</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="75"/>
        <source>Other alerts (not scored)</source>
        <translation>Cảnh báo khác (không tính điểm)</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="76"/>
        <source>Final status</source>
        <translation>Trạng thái cuối</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="77"/>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="78"/>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="79"/>
        <source>missed</source>
        <translation>bỏ sót</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="80"/>
        <source>late</source>
        <translation>muộn</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="99"/>
        <source>No training run finished yet.</source>
        <translation>Chưa có buổi tập nào kết thúc.</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="129"/>
        <source>Web page (*.html)</source>
        <translation>Trang web (*.html)</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="130"/>
        <source>PDF document (*.pdf)</source>
        <translation>Tài liệu PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="131"/>
        <source>CSV table (*.csv)</source>
        <translation>Bảng CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="134"/>
        <source>Export report</source>
        <translation>Xuất bảng điểm</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="140"/>
        <source>Export HTML…</source>
        <translation>Xuất HTML…</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="141"/>
        <source>Export PDF…</source>
        <translation>Xuất PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/training/report.py" line="142"/>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
</context>
<context>
    <name>TriageController</name>
    <message>
        <location filename="../../ui/alerts/triage.py" line="114"/>
        <source>Not saved, nothing changed: %1</source>
        <translation>Chưa lưu được, không có gì thay đổi: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/triage.py" line="93"/>
        <source>This alert is not known to this console.</source>
        <translation>Máy trạm này không có cảnh báo đó.</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/triage.py" line="96"/>
        <source>%1: why?</source>
        <translation>%1: lý do?</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/triage.py" line="108"/>
        <source>Not done: %1</source>
        <translation>Không thực hiện được: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/triage.py" line="123"/>
        <source>No patrol unit is available.</source>
        <translation>Không có tổ tuần tra nào sẵn sàng.</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/triage.py" line="131"/>
        <source>Add a note</source>
        <translation>Thêm ghi chú</translation>
    </message>
</context>
<context>
    <name>ZoneEditor</name>
    <message>
        <source>Only a supervisor can save changes to the site file.</source>
        <translation type="vanished">Chỉ giám sát viên mới được lưu thay đổi vào tệp cấu hình.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="241"/>
        <source>Your role may not change the site configuration (supervisors may).</source>
        <translation>Vai trò của bạn không được thay đổi cấu hình (giám sát viên mới được).</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="244"/>
        <source>Correct the problems below before saving.</source>
        <translation>Hãy sửa các lỗi bên dưới trước khi lưu.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="246"/>
        <source>No problems found.</source>
        <translation>Không phát hiện lỗi.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/zone_editor.py" line="251"/>
        <source>%n shapes share this name</source>
        <translation>
            <numerusform>%n hình trùng tên này</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/zone_editor.py" line="252"/>
        <source>%n point(s) outside the frame</source>
        <translation>
            <numerusform>%n điểm nằm ngoài khung hình</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/zone_editor.py" line="253"/>
        <source>needs at least %n points</source>
        <translation>
            <numerusform>cần ít nhất %n điểm</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="254"/>
        <source>polygon edges cross each other</source>
        <translation>các cạnh của đa giác cắt nhau</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="255"/>
        <source>polygon has no area</source>
        <translation>đa giác không có diện tích</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="256"/>
        <source>a line needs exactly 2 points</source>
        <translation>vạch phải có đúng 2 điểm</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="257"/>
        <source>the two points of the line are the same</source>
        <translation>hai điểm của vạch trùng nhau</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="258"/>
        <source>each image point needs its ground position</source>
        <translation>mỗi điểm ảnh cần có tọa độ mặt đường tương ứng</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="259"/>
        <source>the first four calibration points lie on one line</source>
        <translation>bốn điểm hiệu chuẩn đầu tiên thẳng hàng</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="265"/>
        <source>Zone</source>
        <translation>Vùng</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="266"/>
        <source>Line</source>
        <translation>Vạch</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="267"/>
        <source>Lane</source>
        <translation>Làn</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="268"/>
        <source>Calibration</source>
        <translation>Hiệu chuẩn</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="294"/>
        <source>Saved to the site file. Restart the console to apply the changes.</source>
        <translation>Đã lưu vào tệp cấu hình. Khởi động lại ứng dụng để áp dụng.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="300"/>
        <source>Carriageway</source>
        <translation>Lòng đường</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="301"/>
        <source>Emergency lane</source>
        <translation>Làn khẩn cấp</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="302"/>
        <source>Intersection</source>
        <translation>Nút giao</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="303"/>
        <source>Sidewalk</source>
        <translation>Vỉa hè</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="304"/>
        <source>No-parking area</source>
        <translation>Khu vực cấm dừng đỗ</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="305"/>
        <source>Signal lamp</source>
        <translation>Đèn tín hiệu</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="306"/>
        <source>Other area</source>
        <translation>Vùng khác</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="310"/>
        <source>Zone editor</source>
        <translation>Soạn vùng giám sát</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="311"/>
        <source>Camera:</source>
        <translation>Camera:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="312"/>
        <source>New zone</source>
        <translation>Vùng mới</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="313"/>
        <source>New line</source>
        <translation>Vạch mới</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="314"/>
        <source>New lane</source>
        <translation>Làn mới</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="315"/>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="318"/>
        <source>Drag a corner to move it. After &apos;New…&apos;, click on the image to add points; double-click to finish.</source>
        <translation>Kéo một đỉnh để di chuyển. Sau khi bấm &apos;mới&apos;, bấm lên ảnh để thêm điểm; bấm đúp để kết thúc.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="322"/>
        <source>Problems:</source>
        <translation>Lỗi:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="323"/>
        <source>Freeze current frame</source>
        <translation>Chụp khung hình hiện tại</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="324"/>
        <source>Save to site file</source>
        <translation>Lưu vào tệp cấu hình</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="325"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../../ui/admin/zone_editor.py" line="326"/>
        <source>No live frame from this camera</source>
        <translation>Camera này chưa có hình trực tiếp</translation>
    </message>
</context>
<context>
    <name>box</name>
    <message>
        <location filename="../../ui/app.py" line="75"/>
        <source>The site file cannot be used:</source>
        <translation>Không dùng được tệp cấu hình trung tâm:</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/app.py" line="77"/>
        <source>%n problem(s) found. Correct the file and start again.</source>
        <translation>
            <numerusform>Phát hiện %n lỗi. Hãy sửa tệp rồi khởi động lại.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>self.parent</name>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="56"/>
        <source>Correct the plate</source>
        <translation>Sửa biển số</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="60"/>
        <source>Plate as read on the evidence (e.g. 30E-123.45, 29-B1 123.45):</source>
        <translation>Biển số đọc được trên chứng cứ (ví dụ 30E-123.45, 29-B1 123.45):</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="68"/>
        <source>Plate colour:</source>
        <translation>Màu nền biển số:</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="77"/>
        <source>Watch plate %1</source>
        <translation>Theo dõi biển số %1</translation>
    </message>
    <message>
        <location filename="../../ui/alerts/plate_panel.py" line="78"/>
        <source>Why (e.g. reported stolen, case number):</source>
        <translation>Lý do (ví dụ báo mất cắp, số hồ sơ):</translation>
    </message>
</context>
</TS>
