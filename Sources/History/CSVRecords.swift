/// Splits CSV text (RFC 4180: commas, double-quoted fields with "" escapes, LF or CRLF line
/// ends, quoted line breaks) into records that remember where each field starts, so
/// validation can name file:line:column.
struct CSVRecords {
    struct Field {
        var text: String
        /// 1-based column (in characters) of the field's first character in its line.
        var column: Int
        /// 1-based line of the field's first character.
        var line: Int
        /// Written in double quotes (the text starts one column later).
        var quoted: Bool
    }

    struct Record {
        var line: Int
        var fields: [Field]
    }

    enum Failure: Error, Equatable {
        /// A quoted field still open at the end of the file.
        case unterminatedQuote(line: Int, column: Int)
        /// Text straight after a closing quote, e.g. `"a"b`.
        case textAfterQuote(line: Int, column: Int)
    }

    /// All records, skipping blank lines. A leading byte-order mark is ignored.
    static func parse(_ text: String) throws(Failure) -> [Record] {
        var records: [Record] = []
        var fields: [Field] = []
        var field = ""
        var line = 1, column = 1
        var fieldLine = 1, fieldColumn = 1, recordLine = 1
        var inQuotes = false, quoted = false, afterQuote = false
        var chars = Substring(text)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }

        func endField() {
            fields.append(Field(text: field, column: fieldColumn, line: fieldLine, quoted: quoted))
            field = ""
            quoted = false
            afterQuote = false
        }
        func endRecord() {
            let blankLine = fields.isEmpty && field.isEmpty && !quoted
            endField()
            if !blankLine { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
        }

        var iterator = chars.makeIterator()
        var pending: Character? = iterator.next()
        var startOfField = true
        while let ch = pending {
            pending = iterator.next()
            if startOfField {
                fieldLine = line
                fieldColumn = column
                if fields.isEmpty { recordLine = line }
                startOfField = false
            }
            if inQuotes {
                if ch == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = iterator.next()
                        column += 2
                        continue
                    }
                    inQuotes = false
                    afterQuote = true
                } else {
                    field.append(ch)
                    if ch == "\n" || ch == "\r\n" {
                        line += 1
                        column = 1
                        continue
                    }
                }
                column += 1
                continue
            }
            switch ch {
            case ",":
                endField()
                startOfField = true
                column += 1
            case "\n", "\r\n", "\r":
                endRecord()
                startOfField = true
                line += 1
                column = 1
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
                quoted = true
                column += 1
            default:
                if afterQuote { throw .textAfterQuote(line: line, column: column) }
                field.append(ch)
                column += 1
            }
        }
        if inQuotes { throw .unterminatedQuote(line: fieldLine, column: fieldColumn) }
        if !startOfField || !fields.isEmpty { endRecord() }
        return records
    }
}
