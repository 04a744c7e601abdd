import Foundation

/// Runs work that recurses as deep as a grammar's references go — a chain of 20,000 defines each
/// referring to the next is a correct grammar — on a thread whose stack is large enough for it.
/// The stack is reserved address space; only what the recursion touches is ever used.
public enum LargeStack {
    public static let size = 1 << 30

    /// Carries the work to the other thread and its outcome back. The semaphore orders every
    /// access, so the two threads never touch it at the same time.
    private final class Handoff<Result, Failure: Error>: @unchecked Sendable {
        var work: (() throws(Failure) -> Result)?
        var outcome: Swift.Result<Result, Failure>?
        let done = DispatchSemaphore(value: 0)

        func perform() {
            do throws(Failure) { outcome = .success(try work!()) } catch { outcome = .failure(error) }
            // The work must not outlive the call that lent it.
            work = nil
            done.signal()
        }
    }

    /// `body`'s result, computed on a thread with a ``size``-byte stack.
    public static func run<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try withoutActuallyEscaping(body) { (body) throws(Failure) -> Result in
            let handoff = Handoff<Result, Failure>()
            handoff.work = body
            let thread = Thread { handoff.perform() }
            thread.stackSize = size
            thread.start()
            handoff.done.wait()
            return try handoff.outcome!.get()
        }
    }
}
