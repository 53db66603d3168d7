"""Chinese working days (工作日): chinese-calendar plus an admin-editable override table."""
