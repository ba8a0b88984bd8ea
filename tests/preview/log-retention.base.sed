s/"RetentionInDays": 14/"RetentionInDays": 30/
