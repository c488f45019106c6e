extension StringProtocol {
    /// The text without leading and trailing whitespace (officer names, member names, audit
    /// years and review fields are compared this way).
    public func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
