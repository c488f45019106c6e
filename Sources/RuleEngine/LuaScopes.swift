/// The names in scope at one point of a Lua file as `LuaScopeParser` walks it: a stack of
/// blocks, each with the locals it declares (parameters and loop variables included), and the
/// functions around that point. A name no block declares is a global.
struct LuaScopes {
    struct Local {
        var name: String
        /// The contract: the first parameter of `tier`/`score`, or any parameter named `c`.
        var isContract: Bool
        /// For `local t = settings.tier`: the settings path it names.
        var settingsPath: [String]? = nil
    }

    private var blocks: [[Local]] = [[]]
    /// Names of the enclosing functions (nil for an anonymous one); [nil] = the file.
    private var functions: [String?] = [nil]
    /// `visibleLocals` as last worked out, valid until the scopes change: every global use
    /// between two changes shares one array, so memory grows with the changes, not the uses.
    private var visible: [String]?
    /// Names all `visibleLocals` arrays handed out hold; past `maxVisibleNames` uses get none
    /// (only "did you mean" suggestions are lost), so the analyser's memory stays bounded.
    private var visibleNames = 0
    static let maxVisibleNames = 1_000_000

    mutating func open() { blocks.append([]); visible = nil }
    mutating func close() { blocks.removeLast(); visible = nil }

    mutating func declare(_ name: String, contract: Bool = false, settingsPath: [String]? = nil) {
        blocks[blocks.count - 1].append(Local(name: name, isContract: contract, settingsPath: settingsPath))
        visible = nil
    }

    /// The innermost local called `name`, nil when `name` is a global here.
    func resolve(_ name: String) -> Local? {
        for block in blocks.reversed() {
            if let local = block.last(where: { $0.name == name }) { return local }
        }
        return nil
    }

    /// Every local visible here, innermost first, each name once (for "did you mean …?").
    mutating func visibleLocals() -> [String] {
        if let visible { return visible }
        var seen = Set<String>()
        var names = blocks.reversed().flatMap { $0.reversed().map(\.name) }.filter { seen.insert($0).inserted }
        if visibleNames + names.count > Self.maxVisibleNames { names = [] }
        visibleNames += names.count
        visible = names
        return names
    }

    /// A function body is a block of its own (its parameters are declared in it).
    mutating func enterFunction(_ name: String?) {
        functions.append(name)
        open()
    }

    mutating func leaveFunction() {
        close()
        functions.removeLast()
    }

    /// The name of the function being walked; nil at the top level or in an anonymous one.
    var innermostFunction: String? { functions.last ?? nil }

    /// The function being walked ("function" for an anonymous one); nil at the top level of
    /// the file (run once, at load).
    var insideFunction: String? { functions.count > 1 ? (functions.last! ?? "function") : nil }
}
