// swift-tools-version:6.1
import PackageDescription

// Module graph (see ../shared/DESIGN.md): data flows left to right, nothing reaches backwards.
//   CLua/CLuaShim -> LuaHost -> RuleEngine -> Planner -> UseCases -> Reports -> cmrg
//   Portfolio, Workers -----------^     History (SQLite) --^
let package = Package(
    name: "cmrg",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cmrg", targets: ["cmrg"]),
        .library(name: "LuaHost", targets: ["LuaHost"]),
        .library(name: "Portfolio", targets: ["Portfolio"]),
        .library(name: "RuleEngine", targets: ["RuleEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // The system Lua 5.4 (Debian: liblua5.4-dev).
        .systemLibrary(
            name: "CLua",
            path: "Sources/CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // C shim: macro wrappers, instruction hook, capped allocator, hardened pattern matcher.
        // The only code besides CLua that includes lua.h.
        .target(
            name: "CLuaShim",
            dependencies: ["CLua"],
            path: "Sources/CLuaShim",
            cSettings: [.unsafeFlags(["-O2"])]
        ),
        .target(name: "LuaHost", dependencies: ["CLuaShim"]),
        // The second line of defence (README, "The rule sandbox"): the breadcrumb page a
        // supervised process shares with its supervisor, and the signal-safe process plumbing.
        // Knows nothing of Lua.
        .target(name: "CSupervision", path: "Sources/CSupervision"),
        // The supervised side: workers' breadcrumbs, temporary files, test faults.
        .target(name: "Breadcrumbs", dependencies: ["CSupervision"]),
        // The supervisor: runs cmrg as a watched child and reports what stopped it.
        .target(name: "Supervisor", dependencies: ["Breadcrumbs", "CSupervision", "Portfolio"]),
        // The one concurrency primitive: ordered work on worker threads that own their state.
        .target(name: "Workers"),
        // Optimised even in debug builds: tests stream 200k-row files through it. Its parsers
        // are single-threaded per reader, so run-time exclusivity checks only cost time (~20%).
        .target(name: "Portfolio", dependencies: ["Breadcrumbs"], swiftSettings: [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked"])]),
        .target(
            name: "RuleEngine",
            dependencies: ["LuaHost", "Portfolio", "Breadcrumbs", "Workers", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Pure scheduling: the forward plan from evaluated contracts, last reviews and the policy.
        .target(name: "Planner", dependencies: ["RuleEngine", "Portfolio"]),
        // The record of past deep reviews, in SQLite.
        .target(
            name: "History",
            dependencies: ["Portfolio", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The use cases (evaluate, explain, a planning session, a rule-change review) as
        // library types: the CLI and the workbench call them.
        .target(name: "UseCases", dependencies: ["RuleEngine", "Planner", "History", "Portfolio", "Workers"]),
        .target(
            name: "Reports",
            dependencies: ["UseCases", "RuleEngine", "Planner", "History", "Portfolio", "Workers"]
        ),
        .executableTarget(
            name: "cmrg",
            dependencies: [
                "UseCases", "RuleEngine", "History", "Reports", "Portfolio", "Supervisor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Scratch directories of a test run, removed when it ends.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "LuaHostTests", dependencies: ["LuaHost"]),
        .testTarget(name: "RuleEngineTests", dependencies: ["TestSupport", "RuleEngine", "Portfolio"]),
        .testTarget(name: "UseCasesTests", dependencies: ["TestSupport", "UseCases", "History", "Portfolio"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "cmrg"]),
        .testTarget(name: "PortfolioTests", dependencies: ["TestSupport", "Portfolio"], exclude: ["Fixtures"]),
        .testTarget(name: "ReportsTests", dependencies: ["TestSupport", "Reports", "UseCases", "RuleEngine", "Portfolio"]),
        .testTarget(name: "PlannerTests", dependencies: ["TestSupport", "Planner", "RuleEngine", "Portfolio"]),
        .testTarget(name: "HistoryTests", dependencies: ["TestSupport", "History", "Portfolio"]),
    ],
    swiftLanguageModes: [.v6]
)
