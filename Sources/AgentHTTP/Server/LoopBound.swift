/// Carries a loop-confined object across a `@Sendable` boundary.
///
/// The compiler cannot see thread confinement, so this wrapper asserts it by hand: the value may
/// be passed anywhere but only dereferenced on the thread of the event loop that owns it, i.e.
/// inside a closure given to ``EventLoop/execute(_:)`` of that loop.
struct LoopBound<Value: AnyObject>: @unchecked Sendable {
    let value: Value
}
