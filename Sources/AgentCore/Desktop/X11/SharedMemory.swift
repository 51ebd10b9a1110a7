import Glibc

/// A System V shared-memory segment mapped into this process, for MIT-SHM image transfers.
///
/// The X server attaches the same segment by id and writes captured pixels into it. The segment is marked for
/// removal (`IPC_RMID`) as soon as both sides have attached, so the kernel frees it when the last one detaches,
/// even if this process dies: it can never leak.
struct SharedMemorySegment {
    /// The kernel's segment id (`shmid`).
    let id: Int32
    /// Where the segment is mapped here.
    let address: UnsafeMutableRawPointer
    /// The segment's size in bytes.
    let size: Int

    /// Creates a private segment of `size` bytes, mode 0600, and maps it.
    static func create(size: Int) throws(X11Error) -> SharedMemorySegment {
        // IPC_PRIVATE is key 0.
        let id = shmget(0, size, IPC_CREAT | 0o600)
        guard id >= 0 else { throw .system(.unsupported, "shmget(\(size) bytes)", errno: errno) }
        guard let address = shmat(id, nil, 0), address != UnsafeMutableRawPointer(bitPattern: -1) else {
            let code = errno
            shmctl(id, IPC_RMID, nil)
            throw .system(.unsupported, "shmat", errno: code)
        }
        return SharedMemorySegment(id: id, address: address, size: size)
    }

    /// Marks the segment for removal once every process has detached.
    func markForRemoval() {
        shmctl(id, IPC_RMID, nil)
    }

    /// Unmaps the segment from this process.
    func detach() {
        shmdt(address)
    }
}

/// The connection's MIT-SHM state: whether the extension works here, and the reusable capture segment.
struct SharedImageState {
    enum Availability {
        /// Not probed yet.
        case unknown
        /// No MIT-SHM, or it failed (another host or IPC namespace); core GetImage is used.
        case unavailable(reason: String)
        /// MIT-SHM works; its major opcode.
        case available(majorOpcode: UInt8)
    }

    var availability = Availability.unknown
    /// The segment the server has attached, with its SHMSEG id.
    var segment: (memory: SharedMemorySegment, xid: UInt32)?

    /// Unmaps the segment locally (the server side is detached by ShmDetach or when the connection closes).
    mutating func release() {
        segment?.memory.detach()
        segment = nil
    }
}
