# Swedish formats as the förbund write them: "1 873" and "31/12 2025".
DATE_FORMAT = "j/n Y"
SHORT_DATE_FORMAT = "j/n Y"
DATETIME_FORMAT = "j/n Y H:i"
SHORT_DATETIME_FORMAT = "j/n Y H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m %Y", "%d/%m/%Y", "%d.%m.%Y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
