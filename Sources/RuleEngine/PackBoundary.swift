#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rule pack directory is a boundary: every file cmrg reads as part of a pack (rule files,
/// test files) must resolve, symbolic links followed, to a regular file inside the pack's own
/// directory, and be at most 16 MiB. A link out of the pack (`rules/secret.lua ->
/// /etc/shadow`) is refused, naming the link, before anything is read; so is a FIFO or device
/// (reading one could block for ever) and a file too large to hold.
enum PackBoundary {
    static let maxFileBytes = 16 << 20

    /// The text of `path`, a file of the pack in `directory` (`path` starts with `directory/`).
    /// A refusal comes back as a message naming the file or link.
    static func read(_ path: String, inPack directory: String) -> Result<String, Refusal> {
        guard let root = realPath(directory) else {
            return .failure(Refusal(kind: .unreadable, message: "cannot read rule pack directory '\(directory)'"))
        }
        guard let resolved = realPath(path) else {
            if let link = firstLink(in: path, below: directory) {
                return .failure(Refusal(kind: .load, message: "'\(link)' is a symbolic link to a file that does not exist"))
            }
            return .failure(Refusal(kind: .unreadable, message: "cannot read '\(path)'"))
        }
        guard resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            let link = firstLink(in: path, below: directory) ?? path
            return .failure(Refusal(kind: .load, message:
                "'\(link)' is a symbolic link to '\(resolved)', outside the rule pack '\(directory)': refused (links must stay inside the pack)"))
        }
        var info = stat()
        guard stat(resolved, &info) == 0 else { return .failure(Refusal(kind: .unreadable, message: "cannot read '\(path)'")) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(Refusal(kind: .load, message: "'\(path)' is not a regular file"))
        }
        guard Int(info.st_size) <= maxFileBytes else {
            return .failure(Refusal(kind: .load, message:
                "'\(path)' is \(Int(info.st_size) >> 20) MiB; a rule or test file may be at most \(maxFileBytes >> 20) MiB"))
        }
        guard let bytes = readAll(resolved, expected: Int(info.st_size)) else {
            return .failure(Refusal(kind: .unreadable, message: "cannot read '\(path)'"))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(Refusal(kind: .load, message: "'\(path)' is not UTF-8 text"))
        }
        return .success(text)
    }

    struct Refusal: Error {
        var kind: RuleError.Kind
        var message: String
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The first symbolic link on the way from `directory` to `path` (`rules/tests`, or the
    /// file itself).
    static func firstLink(in path: String, below directory: String) -> String? {
        var current = directory
        let rest = path.dropFirst(directory.count).split(separator: "/")
        for part in rest {
            current += current.hasSuffix("/") ? String(part) : "/" + part
            var info = stat()
            if lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK { return current }
        }
        return nil
    }

    /// At most `expected` bytes plus one more (a file growing meanwhile is cut at the cap).
    static func readAll(_ path: String, expected: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: min(expected, maxFileBytes) + 1)
        var done = 0
        while done < out.count {
            let n = out.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            done += n
        }
        return Array(out[..<min(done, maxFileBytes)])
    }
}

private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, p, n)
    #else
    Darwin.read(fd, p, n)
    #endif
}
