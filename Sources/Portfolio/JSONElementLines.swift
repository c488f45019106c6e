/// Finds, without parsing, the line on which each element of a top-level array begins, e.g.
/// every release in `{"releases": [ {...}, {...} ]}`, so messages about a release in a package
/// can name its line. One pass over the bytes, tracking strings and nesting depth only.
enum JSONElementLines {
    /// Lines (1-based) of the elements of the array under `key` in the top-level object.
    static func lines(in bytes: UnsafeRawBufferPointer, key: String) -> [Int] {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n")
        let target = Array(key.utf8)
        var lines: [Int] = []
        var line = 1
        var depth = 0
        var i = 0
        var lastDepthOneString: Range<Int>? = nil
        var inTargetArray = false
        while i < bytes.count {
            let c = bytes[i]
            if c == quote {
                let start = i + 1
                i += 1
                while i < bytes.count, bytes[i] != quote {
                    if bytes[i] == backslash { i += 1 }
                    else if bytes[i] == newline { line += 1 }
                    i += 1
                }
                if depth == 1 { lastDepthOneString = start..<min(i, bytes.count) }
            } else if c == newline {
                line += 1
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                if inTargetArray, depth == 2 { lines.append(line) }
                depth += 1
                if depth == 2, c == UInt8(ascii: "["), let key = lastDepthOneString,
                   bytes[key].elementsEqual(target) {
                    inTargetArray = true
                }
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
                if depth == 1, inTargetArray { return lines }
            }
            i += 1
        }
        return lines
    }
}
