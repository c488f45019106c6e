import CLuaShim

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a host function was called from: which entry point of a record call was running
/// (`phase`, -1 outside record calls) and, for a recorder's fallback (`LuaRecorder`), the
/// calling script's chunk and line (nil and 0 for functions given to `register`).
public struct LuaCallSite: Sendable, Equatable {
    public var chunk: String?
    public var line: Int
    public var phase: Int
}

/// An error a host function raises into the script, as `error(message)` would.
public struct LuaHostError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// A Swift function callable from Lua. It receives plain arguments and returns plain results;
/// throwing `LuaHostError` (or anything else) raises a Lua error at the caller's line.
public typealias LuaHostFunction = (LuaCallSite, [LuaScalar]) throws -> [LuaScalar]

/// Keeps a host function and the memory of its last results/error alive for the C side.
final class HostFunctionBox {
    let body: LuaHostFunction
    let limits: LuaLimits
    var owned: [UnsafeMutablePointer<CChar>] = []
    /// Chunk names by the address of Lua's source string, so a hot host function does not
    /// rebuild the same Swift String on every call.
    var chunkNames: [UnsafeRawPointer: String] = [:]

    init(body: @escaping LuaHostFunction, limits: LuaLimits) {
        self.body = body
        self.limits = limits
    }

    deinit { release() }

    func release() {
        owned.forEach { $0.deallocate() }
        owned.removeAll(keepingCapacity: true)
    }

    static let maxChunkName = 256

    func chunkName(_ source: UnsafePointer<CChar>?) -> String? {
        guard let source else { return nil }
        let key = UnsafeRawPointer(source)
        if let known = chunkNames[key] { return known }
        // load() may name a chunk with megabytes: the host keeps at most 256 bytes of it.
        let length = strnlen(source, Self.maxChunkName + 1)
        let name = String(decoding: UnsafeRawBufferPointer(start: source, count: min(length, Self.maxChunkName)), as: UTF8.self)
        if chunkNames.count < 1024 { chunkNames[key] = name }
        return name
    }

    func invoke(
        _ site: UnsafePointer<cmrg_where>?, _ args: UnsafePointer<cmrg_value>?, _ nargs: Int32,
        _ results: UnsafeMutablePointer<cmrg_value>?, _ maxResults: Int32,
        _ errorLength: UnsafeMutablePointer<Int>?
    ) -> Int32 {
        release()
        let callSite = LuaCallSite(
            chunk: chunkName(site?.pointee.source), line: Int(site?.pointee.line ?? 0),
            phase: Int(site?.pointee.phase ?? -1))
        let arguments = (0..<Int(nargs)).map { LuaScalar(args![$0], maxStringBytes: limits.maxStringBytes) }
        do {
            let out = try body(callSite, arguments)
            let n = min(out.count, Int(maxResults))
            for i in 0..<n { results![i] = cValue(out[i], owned: &owned) }
            return Int32(n)
        } catch {
            let message = (error as? LuaHostError)?.message ?? String(describing: error)
            let v = cValue(.string(message), owned: &owned)
            lastError = v.s
            errorLength?.pointee = v.len
            return -1
        }
    }

    /// The message of the last thrown error, owned by `owned`.
    var lastError: UnsafePointer<CChar>?
}

/// The single C entry point for every host function; `context` is the HostFunctionBox.
let hostThunk: cmrg_host_fn = { context, site, args, nargs, results, maxResults, error, errorLength in
    let box = Unmanaged<HostFunctionBox>.fromOpaque(context!).takeUnretainedValue()
    let n = box.invoke(site, args, nargs, results, maxResults, errorLength)
    if n < 0 { error?.pointee = box.lastError }
    return n
}
