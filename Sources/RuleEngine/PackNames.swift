/// Names a pack declares or reads, found in its text without running it.
struct PackNames {
    /// Globals assigned at the top level of a file: they count as defined when the pack has
    /// loaded even if they hold nil (`seen = nil` declares `seen`).
    var declaredGlobals: [String] = []
    /// Register columns the rules read as `c.extra.NAME`.
    var readColumns: [String] = []

    init(_ pack: RulePack) {
        var globals = Set<String>(), columns = Set<String>()
        for file in pack.files {
            guard let facts = LuaSourceFacts.analyse(file.text) else { continue }
            for use in facts.globals where use.isWrite && use.function == nil { globals.insert(use.name) }
            for read in facts.columns { columns.insert(read.path[0]) }
        }
        declaredGlobals = globals.sorted()
        readColumns = columns.sorted()
    }
}
