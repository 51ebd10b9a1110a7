/// Screen capture: MIT-SHM ShmGetImage when the server can attach our segment, else core GetImage.
extension X11Connection {
    /// How to capture.
    enum CaptureMethod {
        /// MIT-SHM when it works, else GetImage.
        case automatic
        /// MIT-SHM only (throws `.unsupported` without it).
        case sharedMemory
        /// Core GetImage only.
        case getImage
    }

    /// Whether captures go through MIT-SHM (probing the extension on first use).
    var sharedMemoryAvailable: Bool {
        (try? sharedMemoryOpcode()) != nil
    }

    /// Captures the rectangle (`x`, `y`, `width`, `height`) of the root window as BGRX pixels.
    ///
    /// - Throws: `.invalidArgument` when the rectangle is empty or leaves the screen; `.unsupported` when the root
    ///   depth is not stored as 32 bits per pixel.
    func capture(x: Int, y: Int, width: Int, height: Int, method: CaptureMethod = .automatic) throws(X11Error) -> CapturedImage {
        guard width > 0, height > 0, x >= 0, y >= 0, x + width <= setup.width, y + height <= setup.height else {
            throw X11Error(.invalidArgument, "capture region \(width)x\(height)+\(x)+\(y) is not inside the "
                               + "\(setup.width)x\(setup.height) screen")
        }
        guard let format = setup.format(forDepth: setup.rootDepth), format.bitsPerPixel == 32 else {
            throw X11Error(.unsupported, "root depth \(setup.rootDepth) is not stored as 32 bits per pixel")
        }
        // X11 protocol, "Image format": each scanline padded to scanline-pad bits.
        let pad = max(Int(format.scanlinePad), 8)
        let bytesPerRow = (width * 32 + pad - 1) / pad * pad / 8
        var bytes: [UInt8]
        switch method {
        case .getImage:
            bytes = try getImage(x: x, y: y, width: width, height: height, count: bytesPerRow * height)
        case .sharedMemory:
            guard let opcode = try sharedMemoryOpcode() else {
                throw X11Error(.unsupported, "MIT-SHM is not usable on :\(display): \(sharedMemoryProblem ?? "")")
            }
            bytes = try sharedMemoryGetImage(opcode, x: x, y: y, width: width, height: height, count: bytesPerRow * height)
        case .automatic:
            if let opcode = try sharedMemoryOpcode() {
                bytes = try sharedMemoryGetImage(opcode, x: x, y: y, width: width, height: height, count: bytesPerRow * height)
            } else {
                bytes = try getImage(x: x, y: y, width: width, height: height, count: bytesPerRow * height)
            }
        }
        if !setup.imageLSBFirst { Self.swapPixelBytes(&bytes) }
        return CapturedImage(width: width, height: height, bytesPerRow: bytesPerRow, bytes: bytes)
    }

    /// Detaches the capture segment on the server and here.
    func detachSharedImage() throws(X11Error) {
        guard let (memory, xid) = sharedImage.segment, case .available(let opcode) = sharedImage.availability else { return }
        // MIT-SHM ShmDetach (minor 2): shmseg.
        request(opcode, data: 2) { w in w.u32(xid) }
        sharedImage.segment = nil
        memory.detach()
    }

    // MARK: - Private

    /// Core GetImage, reading the pixels straight into the returned array.
    private func getImage(x: Int, y: Int, width: Int, height: Int, count: Int) throws(X11Error) -> [UInt8] {
        // X11 protocol, GetImage (opcode 73): format ZPixmap (2), drawable, x, y, width, height, plane-mask.
        let reply = try reply(to: request(73, data: 2) { w in
            w.u32(setup.rootWindow)
            w.i16(Int16(x))
            w.i16(Int16(y))
            w.u16(UInt16(width))
            w.u16(UInt16(height))
            w.u32(0xFFFF_FFFF)
        })
        guard reply.body.count >= count else {
            throw X11Error(.connectionLost, "GetImage returned \(reply.body.count) bytes, expected \(count)")
        }
        return reply.body.count == count ? reply.body : Array(reply.body.prefix(count))
    }

    /// MIT-SHM ShmGetImage into the reusable segment, then one copy out of it.
    private func sharedMemoryGetImage(_ opcode: UInt8, x: Int, y: Int, width: Int, height: Int,
                                      count: Int) throws(X11Error) -> [UInt8] {
        guard let (memory, xid) = try segment(holding: count) else {
            // Attaching failed just now: MIT-SHM is marked unusable; fall back.
            return try getImage(x: x, y: y, width: width, height: height, count: count)
        }
        // MIT-SHM ShmGetImage (minor 4): drawable, x, y, width, height, plane-mask, format (ZPixmap = 2),
        // 3 unused, shmseg, offset.
        let reply = try reply(to: request(opcode, data: 4) { w in
            w.u32(setup.rootWindow)
            w.i16(Int16(x))
            w.i16(Int16(y))
            w.u16(UInt16(width))
            w.u16(UInt16(height))
            w.u32(0xFFFF_FFFF)
            w.u8(2)
            w.zeros(3)
            w.u32(xid)
            w.u32(0)
        })
        // Reply: depth at 1, visual at 8, size at 12.
        guard Int(reply.u32(12)) >= count else {
            throw X11Error(.connectionLost, "ShmGetImage wrote \(reply.u32(12)) bytes, expected \(count)")
        }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(start: memory.address, count: count))
            initialized = count
        }
    }

    /// MIT-SHM's major opcode if the extension is present and answers ShmQueryVersion; `nil` otherwise.
    private func sharedMemoryOpcode() throws(X11Error) -> UInt8? {
        switch sharedImage.availability {
        case .available(let opcode): return opcode
        case .unavailable: return nil
        case .unknown:
            guard let info = try queryExtension("MIT-SHM") else {
                sharedImage.availability = .unavailable(reason: "the server has no MIT-SHM extension")
                return nil
            }
            // MIT-SHM ShmQueryVersion (minor 0): reply has shared-pixmaps, major/minor version, uid, gid, format.
            _ = try reply(to: request(info.majorOpcode, data: 0))
            sharedImage.availability = .available(majorOpcode: info.majorOpcode)
            return info.majorOpcode
        }
    }

    private var sharedMemoryProblem: String? {
        if case .unavailable(let reason) = sharedImage.availability { return reason }
        return nil
    }

    /// The attached segment, grown to hold `count` bytes (at least a full screen). `nil` if the server cannot
    /// attach it (another host or IPC namespace): MIT-SHM is then marked unusable.
    private func segment(holding count: Int) throws(X11Error) -> (SharedMemorySegment, UInt32)? {
        if let current = sharedImage.segment, current.memory.size >= count { return current }
        guard case .available(let opcode) = sharedImage.availability else { return nil }
        try detachSharedImage()
        let memory: SharedMemorySegment
        do {
            memory = try SharedMemorySegment.create(size: max(count, setup.width * setup.height * 4))
        } catch {
            sharedImage.availability = .unavailable(reason: error.message)
            return nil
        }
        let xid = try allocateID()
        do {
            // MIT-SHM ShmAttach (minor 1): shmseg, shmid, read-only = False (the server writes into it), 3 unused.
            try checked(opcode, data: 1) { w in
                w.u32(xid)
                w.u32(UInt32(bitPattern: memory.id))
                w.u8(0)
                w.zeros(3)
            }
        } catch where error.code == .requestFailed {
            memory.markForRemoval()
            memory.detach()
            sharedImage.availability = .unavailable(reason: "ShmAttach failed: \(error.message)")
            return nil
        } catch {
            memory.markForRemoval()
            memory.detach()
            throw error
        }
        // Both sides are attached: from now on the kernel frees the segment when the last one detaches.
        memory.markForRemoval()
        sharedImage.segment = (memory, xid)
        return (memory, xid)
    }

    /// MSBFirst servers send 32-bit pixels as X, R, G, B; reverse each group into B, G, R, X.
    private static func swapPixelBytes(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { raw in
            for i in stride(from: 0, to: raw.count - 3, by: 4) {
                let value = raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)
                raw.storeBytes(of: value.byteSwapped, toByteOffset: i, as: UInt32.self)
            }
        }
    }
}
