"""Frame sources: OpenCV/FFmpeg (RTSP, HTTP, files, devices) and the simulator."""
