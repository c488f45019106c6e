#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read piece by piece with read(2): loaders never hold a whole register in memory.
final class ChunkedFile {
    let path: String
    private let fd: Int32

    init(path: String) throws(PortfolioError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(path, ChunkedFile.errnoText()) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .unreadable(path, "it is a directory")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Reads up to `count` bytes; 0 at the end of the file.
    func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(PortfolioError) -> Int {
        while true {
            #if canImport(Darwin)
            let n = Darwin.read(fd, destination, count)
            #elseif canImport(Musl)
            let n = Musl.read(fd, destination, count)
            #else
            let n = Glibc.read(fd, destination, count)
            #endif
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .unreadable(path, ChunkedFile.errnoText())
        }
    }

    /// The first `count` bytes of the file (for format detection), read through a fresh handle.
    static func prefix(path: String, count: Int) throws(PortfolioError) -> [UInt8] {
        let file = try ChunkedFile(path: path)
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = try bytes.withUnsafeMutableBufferPointer { (buffer) throws(PortfolioError) -> Int in
                try file.read(into: buffer.baseAddress! + filled, count: count - filled)
            }
            if n == 0 { break }
            filled += n
        }
        return Array(bytes[0..<filled])
    }

    static func errnoText() -> String {
        switch errno {
        case ENOENT: "no such file"
        case EACCES: "permission denied"
        default: String(cString: strerror(errno))
        }
    }
}
