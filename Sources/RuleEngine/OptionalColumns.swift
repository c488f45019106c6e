import LuaHost

/// Register columns a pack reads under `c.extra` that not every register has, declared in a
/// rule file as `optional_columns = { "social_value" }`. Only these read as nil when the
/// register lacks them; any other name the register does not have is an error, so a typo
/// (`c.extra.socail_value`) can never pass for an absent column.
enum OptionalColumns {
    /// The global that declares them.
    static let global = "optional_columns"

    /// The names in `value` (the global as loaded): nil means none; anything but a list of
    /// names is a load error.
    static func declared(by value: LuaValue, in pack: RulePack) throws(RuleError) -> [String] {
        if value.isNil { return [] }
        guard case .table(let table) = value, table.entries.isEmpty,
              let names = Optional(table.array.compactMap(\.stringValue)), names.count == table.array.count else {
            throw RuleError(kind: .load, location: declaration(in: pack),
                            message: "\(global) must be a list of column names, e.g. \(global) = { \"social_value\" }")
        }
        return names
    }

    /// Where the pack assigns the global (for messages), if it can be found.
    static func declaration(in pack: RulePack) -> RuleLocation? {
        for file in pack.files.reversed() {
            guard let facts = LuaSourceFacts.analyse(file.text) else { continue }
            if let use = facts.globals.last(where: { $0.name == global && $0.isWrite }) {
                return RuleLocation(file: file.path, line: use.line)
            }
        }
        return nil
    }
}
