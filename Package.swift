// swift-tools-version:6.1
import PackageDescription

// Module graph (see ../shared/DESIGN.md): data flows left to right, nothing reaches backwards.
//   CLua/CLuaShim -> LuaHost -> RuleEngine -> Planner -> Reports -> cmrg
//   Portfolio -------------------^
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
        // Optimised even in debug builds: tests stream 200k-row files through it. Its parsers
        // are single-threaded per reader, so run-time exclusivity checks only cost time (~20%).
        .target(name: "Portfolio", dependencies: ["Breadcrumbs"], swiftSettings: [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked"])]),
        .target(
            name: "RuleEngine",
            dependencies: ["LuaHost", "Portfolio", "Breadcrumbs"]
        ),
        .target(
            name: "Planner",
            dependencies: ["RuleEngine", "Portfolio", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "Reports",
            dependencies: ["RuleEngine", "Planner", "Portfolio", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "cmrg",
            dependencies: [
                "RuleEngine", "Planner", "Reports", "Portfolio", "Supervisor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "LuaHostTests", dependencies: ["LuaHost"]),
        .testTarget(name: "RuleEngineTests", dependencies: ["RuleEngine", "Portfolio", "LuaHost"]),
        .testTarget(name: "CLITests", dependencies: ["cmrg"]),
        .testTarget(name: "PortfolioTests", dependencies: ["Portfolio"], exclude: ["Fixtures"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "RuleEngine", "Portfolio"]),
        .testTarget(name: "PlannerTests", dependencies: ["Planner", "RuleEngine", "Portfolio"]),
    ],
    swiftLanguageModes: [.v6]
)
