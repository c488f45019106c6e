/// A plain-text table that fits a given width: every column as wide as its widest cell, and
/// when the whole is too wide, columns give up room in a fixed order (`Shrink` steps) down to
/// a floor each, cut cells ending in `…`. Shared by `evaluate` and `plan` so both follow the
/// terminal the same way. Pure: the same rows and width give the same lines.
struct TextTable {
    enum Cut {
        /// "Waste PFI - Energy from Wa…"
        case end
        /// Ids: their start (the publisher prefix of an OCDS id) and end (what tells them
        /// apart) are kept, "ocds-b5fd17-…bea8-bcc569de6670".
        case middle
    }

    struct Column {
        var header: String
        var rightAligned = false
        var cut = Cut.end
        /// Long cells break at spaces onto more lines instead of being cut (last column only).
        var wraps = false
        /// With `wraps`: a long cell starts a new line after each of these, before breaking at spaces.
        var itemSeparator: String? = nil
    }

    /// One step of giving up room: `column` narrows, as far as needed, down to `floor`.
    struct Shrink {
        var column: Int
        var floor: Int
    }

    var columns: [Column]
    /// Cells already made safe for a terminal (`shown`), one array per row (empty for a table
    /// formatted row by row with `fit` and `line`).
    var rows: [[String]] = []
    /// The order in which columns give up room when the table is too wide.
    var shrinking: [Shrink]
    /// Whether a header line and a line of dashes come first.
    var showsHeader = true

    static let gap = 2

    /// Column widths for a table at most `width` characters wide (when the floors allow it).
    func widths(fitting width: Int) -> [Int] {
        var natural = columns.map { showsHeader ? $0.header.count : 0 }
        for row in rows {
            for (col, cell) in row.enumerated() where col < natural.count { natural[col] = max(natural[col], cell.count) }
        }
        return fit(natural, width: width)
    }

    /// `natural` (each column's widest cell) narrowed by the shrinking steps until the table
    /// is at most `width` wide or every step is at its floor. Tables of a million rows measure
    /// their cells in one pass and format them in another, without holding them (evaluate).
    func fit(_ natural: [Int], width: Int) -> [Int] {
        var widths = natural
        var excess = widths.reduce(0, +) + Self.gap * max(0, columns.count - 1) - width
        for step in shrinking where excess > 0 && step.column < widths.count {
            let give = min(excess, max(0, widths[step.column] - step.floor))
            widths[step.column] -= give
            excess -= give
        }
        return widths
    }

    /// The header line and the line of dashes under it.
    func headerLines(_ widths: [Int]) -> [String] {
        [line(columns.map(\.header), widths), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
    }

    /// The lines of the table (no trailing spaces), header and dashes first when shown.
    func lines(fitting width: Int) -> [String] {
        let widths = widths(fitting: width)
        var out = showsHeader ? headerLines(widths) : []
        for row in rows { out += rowLines(row, widths) }
        return out
    }

    /// Lines of one row, with its rows' continuation lines when the last column wraps.
    func rowLines(_ row: [String], _ widths: [Int]) -> [String] {
        guard let last = columns.indices.last, columns[last].wraps, last < row.count, row[last].count > widths[last] else {
            return [line(row, widths)]
        }
        // Each item (e.g. each flag) on a line of its own, its separator kept at its end.
        var items = [row[last]]
        if let separator = columns[last].itemSeparator {
            let parts = row[last].components(separatedBy: separator)
            let mark = separator.trailingSpacesTrimmed
            items = parts.enumerated().map { i, part in i < parts.count - 1 ? part + mark : part }
        }
        let pieces = items.flatMap { Self.wrap($0, to: widths[last]) }
        var first = row
        first[last] = pieces[0]
        return [line(first, widths)] + pieces.dropFirst().map { piece in
            line(Array(repeating: "", count: last) + [piece], widths)
        }
    }

    /// `text` broken at spaces into lines of at most `width` (a longer word is cut).
    static func wrap(_ text: String, to width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if candidate.count > width, !current.isEmpty {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines.map { cut($0, to: width, .end) }
    }

    func line(_ cells: [String], _ widths: [Int]) -> String {
        var parts: [String] = []
        for (col, width) in widths.enumerated() {
            let cell = col < cells.count ? cells[col] : ""
            let cut = Self.cut(cell, to: width, columns[col].cut)
            let pad = String(repeating: " ", count: max(0, width - cut.count))
            parts.append(columns[col].rightAligned ? pad + cut : cut + pad)
        }
        return parts.joined(separator: String(repeating: " ", count: Self.gap)).trailingSpacesTrimmed
    }

    /// `text` in at most `width` characters, `…` marking what was cut.
    static func cut(_ text: String, to width: Int, _ how: Cut) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return width == 1 ? "…" : "" }
        switch how {
        case .end:
            return String(text.prefix(width - 1)) + "…"
        case .middle:
            let head = (width - 1) / 2
            return String(text.prefix(head)) + "…" + String(text.suffix(width - 1 - head))
        }
    }
}
