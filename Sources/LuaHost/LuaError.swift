/// A failure inside Lua, in plain words, with the chunk and line it came from when known.
public struct LuaError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The chunk does not compile.
        case syntax
        /// An error raised while running (including `error(...)` calls).
        case runtime
        case instructionLimit
        case timeLimit
        case memoryLimit
        case interrupted
        /// A value that cannot be used, e.g. a binary chunk or a missing function.
        case refused
    }

    public var kind: Kind
    /// Chunk name (a file path for rule files) where the error was raised, if known.
    public var chunk: String?
    public var line: Int?
    /// The message without the leading "chunk:line:".
    public var message: String
    /// The entry point that was running (record calls), if known.
    public var function: String?

    init(kind: Kind, chunk: String? = nil, line: Int? = nil, message: String) {
        self.kind = kind
        self.chunk = chunk
        self.line = line
        self.message = message
    }

    /// `chunk:line: message`, or just the message when the place is unknown.
    public var description: String {
        switch (chunk, line) {
        case let (c?, l?): "\(c):\(l): \(message)"
        case let (c?, nil): "\(c): \(message)"
        default: message
        }
    }

    /// Splits Lua's "chunk:line: message" form; returns nil when the text has no such prefix.
    static func splitLocation(_ text: Substring) -> (chunk: String, line: Int, message: String)? {
        // The chunk name may itself contain ':' (Windows paths, "[string ...]"), so look for
        // the first ":<digits>: " sequence.
        var index = text.startIndex
        while let colon = text[index...].firstIndex(of: ":") {
            var digitsEnd = text.index(after: colon)
            while digitsEnd < text.endIndex, text[digitsEnd].isASCII, text[digitsEnd].isNumber {
                digitsEnd = text.index(after: digitsEnd)
            }
            if digitsEnd > text.index(after: colon), digitsEnd < text.endIndex, text[digitsEnd] == ":",
                let line = Int(text[text.index(after: colon)..<digitsEnd])
            {
                var rest = text[text.index(after: digitsEnd)...]
                if rest.first == " " { rest = rest.dropFirst() }
                return (String(text[..<colon]), line, String(rest))
            }
            index = text.index(after: colon)
        }
        return nil
    }
}
