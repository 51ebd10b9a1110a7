/// A non-Sendable value that only one serial queue ever touches.
///
/// The compiler cannot see queue confinement, hence `@unchecked`: every access to `value` must happen
/// on the owning queue (the writer's or the reader's), which serializes it.
final class QueueConfined<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
