/// Parsing of the `retry-after-ms` and `retry-after` response headers (reference §4.1, §4.2).
enum RetryAfterHeader {
    /// Seconds to wait according to the headers, before any range check, or nil when neither parses.
    ///
    /// reference §4.2: `retry-after-ms` (a number of milliseconds) takes priority; otherwise
    /// `retry-after` as a number of seconds, or as an HTTP-date minus `now`. As in the Python SDK, a
    /// `retry-after-ms` that parses wins even when its value is later rejected as out of range.
    static func seconds(milliseconds: String?, retryAfter: String?, now: Double) -> Double? {
        if let milliseconds, let value = number(milliseconds) { return value / 1000 }
        guard let retryAfter else { return nil }
        if let value = number(retryAfter) { return value }
        if let date = httpDate(retryAfter) { return date - now }
        return nil
    }

    /// A decimal number (digits, sign, point, exponent), surrounding whitespace allowed; finite only.
    static func number(_ text: String) -> Double? {
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty,
            trimmed.utf8.allSatisfy({ (0x30...0x39).contains($0) || "+-.eE".utf8.contains($0) }),
            let value = Double(trimmed), value.isFinite
        else { return nil }
        return value
    }

    /// Seconds since 1970 of an HTTP-date, or nil.
    ///
    /// RFC 9110 §5.6.7: recipients accept IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete
    /// RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
    /// Like Python's `email.utils.parsedate_tz`, tokens may come in any of those orders and a numeric
    /// zone (`+0200`) is honoured.
    static func httpDate(_ text: String) -> Double? {
        var day: Int?, month: Int?, year: Int?, time: (Int, Int, Int)?, offset = 0
        for token in tokens(text) {
            let lower = token.lowercased()
            if token.contains(":") {
                let parts = token.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
                guard time == nil, parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0 != nil }) else { return nil }
                time = (parts[0]!, parts[1]!, parts.count == 3 ? parts[2]! : 0)
            } else if let first = token.first, first == "+" || first == "-", token.count == 5, let zone = Int(token.dropFirst()) {
                let minutes = (zone / 100) * 60 + zone % 100
                offset = (first == "+" ? 1 : -1) * minutes * 60
            } else if let value = Int(token) {
                if day == nil, token.count <= 2, (1...31).contains(value) {
                    day = value
                } else if year == nil {
                    // Two-digit years as Python's parsedate_tz reads them.
                    year = token.count <= 2 ? (value > 68 ? 1900 + value : 2000 + value) : value
                } else {
                    return nil
                }
            } else if lower.count >= 3, let index = months.firstIndex(of: String(lower.prefix(3))) {
                guard month == nil else { return nil }
                month = index + 1
            }
            // Anything else (day names, GMT, UTC) is ignored.
        }
        guard let day, let month, let year, let (hour, minute, second) = time,
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            day <= daysIn(month: month, year: year)
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Splits on spaces and commas, and splits RFC 850 dates (`06-Nov-94`) on their hyphens.
    private static func tokens(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).flatMap { token -> [Substring] in
            if token.first != "+", token.first != "-", token.contains("-") { return token.split(separator: "-") }
            return [token]
        }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, CR and LF.
    fileprivate func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
