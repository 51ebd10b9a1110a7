internal import CCurl
import Synchronization

/// A libcurl easy handle together with the private multi handle that drives it.
///
/// The multi handle owns the connection cache, so keep-alive connections survive between transfers
/// made with this pair. Driving the transfer through `curl_multi_poll` (rather than
/// `curl_easy_perform`) lets another thread interrupt a stalled transfer at once with
/// `curl_multi_wakeup`.
final class CurlEasyHandle: @unchecked Sendable {
    // Used by one transfer at a time: the pool hands a handle to exactly one worker.
    let easy: UnsafeMutableRawPointer
    let multi: UnsafeMutableRawPointer
    /// `CURLOPT_ERRORBUFFER` storage, `CURL_ERROR_SIZE` bytes.
    let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        guard let easy = curl_easy_init() else { return nil }
        guard let multi = curl_multi_init() else {
            curl_easy_cleanup(easy)
            return nil
        }
        self.easy = easy
        self.multi = multi
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_multi_cleanup(multi)
        errorBuffer.deallocate()
    }

    /// The text curl wrote to the error buffer, if any.
    var errorText: String {
        let text = String(cString: errorBuffer)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}

/// A small LIFO pool of idle handles. The most recently used handle (whose connection is warmest)
/// goes out first, so sequential requests keep using one keep-alive connection.
final class CurlHandlePool: Sendable {
    private let idle = Mutex<[CurlEasyHandle]>([])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// An idle handle, or a new one; nil only when libcurl cannot allocate.
    func checkOut() -> CurlEasyHandle? {
        if let handle = idle.withLock({ $0.popLast() }) { return handle }
        return CurlEasyHandle()
    }

    /// Returns a handle after its transfer. Every option is reset (connections and caches stay), so
    /// no pointer from the finished transfer survives in it; beyond capacity the handle is freed.
    func checkIn(_ handle: CurlEasyHandle) {
        curl_easy_reset(handle.easy)
        handle.errorBuffer[0] = 0
        idle.withLock { list in
            if list.count < capacity { list.append(handle) }
        }
    }
}
