<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>CameraTile</name>
    <message>
        <location filename="../../ui/tile.py" line="111" />
        <source>Drop a camera here</source>
        <translation>Kéo camera vào đây</translation>
    </message>
    <message>
        <location filename="../../ui/tile.py" line="118" />
        <source>CONNECTING…</source>
        <translation>ĐANG KẾT NỐI…</translation>
    </message>
    <message>
        <location filename="../../ui/tile.py" line="119" />
        <source>STREAM STALLED</source>
        <translation>LUỒNG BỊ TREO</translation>
    </message>
    <message>
        <location filename="../../ui/tile.py" line="120" />
        <source>CONNECTION LOST</source>
        <translation>MẤT KẾT NỐI</translation>
    </message>
    <message>
        <location filename="../../ui/tile.py" line="121" />
        <source>CAMERA ERROR</source>
        <translation>LỖI CAMERA</translation>
    </message>
    <message>
        <location filename="../../ui/tile.py" line="122" />
        <source>CAMERA DISABLED</source>
        <translation>CAMERA ĐÃ TẮT</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/tile.py" line="130" />
        <source>retrying in %n s</source>
        <translation>
            <numerusform>thử lại sau %n s</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/tile.py" line="231" />
        <source>DEMO MODEL</source>
        <translation>MÔ HÌNH DEMO</translation>
    </message>
</context>
<context>
    <name>CameraTree</name>
    <message>
        <location filename="../../ui/camera_tree.py" line="59" />
        <source>Search cameras (name, route, km, area)</source>
        <translation>Tìm camera (tên, tuyến, km, khu vực)</translation>
    </message>
    <message>
        <location filename="../../ui/camera_tree.py" line="85" />
        <source>Other</source>
        <translation>Khác</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="37" />
        <source>Cameras</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="60" />
        <source>Wall layout</source>
        <translation>Bố cục màn hình</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="70" />
        <source>Wall layout %1</source>
        <translation>Bố cục %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="84" />
        <source>Offline - local storage only</source>
        <translation>Ngoại tuyến - chỉ lưu cục bộ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="86" />
        <source>Central storage: not connected yet</source>
        <translation>Máy chủ trung tâm: chưa kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="119" />
        <source>Cameras: %1 live, %2 down, %3 in total</source>
        <translation>Camera: %1 trực tuyến, %2 mất tín hiệu, tổng %3</translation>
    </message>
</context>
<context>
    <name>box</name>
    <message>
        <location filename="../../ui/app.py" line="60" />
        <source>The site file cannot be used:</source>
        <translation>Không dùng được tệp cấu hình trung tâm:</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/app.py" line="62" />
        <source>%n problem(s) found. Correct the file and start again.</source>
        <translation>
            <numerusform>Phát hiện %n lỗi. Hãy sửa tệp rồi khởi động lại.</numerusform></translation>
    </message>
</context>
</TS>