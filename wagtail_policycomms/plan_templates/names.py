"""Names shared by the plan modules: units as the plans name them (data, not translated)."""

#: "Các phòng, đơn vị": every active unit when the plan is loaded (the lead unit left out).
ALL_UNITS = "*all*"

INSPECTORATE = "Thanh tra Sở"
OFFICE = "Văn phòng Sở"
INFORMATION_CENTRE = "Trung tâm Thông tin, Thống kê, Ứng dụng khoa học và công nghệ"
