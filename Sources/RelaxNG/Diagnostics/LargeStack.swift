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

    /// `transform` applied to every item, on as many large-stack threads as there are
    /// processors; the results are in the items' order, and the first item that fails (in that
    /// order) gives the error, so the outcome does not depend on the scheduling.
    public static func map<Item, Result, Failure: Error>(
        _ items: [Item], _ transform: (Item) throws(Failure) -> Result
    ) throws(Failure) -> [Result] {
        let threads = min(items.count, ProcessInfo.processInfo.activeProcessorCount)
        guard threads > 1 else { return try run { () throws(Failure) in try items.map { (item) throws(Failure) in try transform(item) } } }
        return try withoutActuallyEscaping(transform) { (transform) throws(Failure) -> [Result] in
            let work = ParallelWork<Item, Result, Failure>(items: items, transform: transform)
            var started: [Thread] = []
            for _ in 0..<threads {
                let thread = Thread { work.drain() }
                thread.stackSize = size
                started.append(thread)
                thread.start()
            }
            for _ in started { work.finished.wait() }
            // The threads may still hold `work`; the transform must not outlive this call.
            work.transform = nil
            var results: [Result] = []
            results.reserveCapacity(items.count)
            for outcome in work.outcomes { results.append(try outcome!.get()) }
            return results
        }
    }

    /// Items handed out one at a time under a lock; each outcome is written to its own slot.
    private final class ParallelWork<Item, Result, Failure: Error>: @unchecked Sendable {
        let items: [Item]
        var transform: ((Item) throws(Failure) -> Result)?
        var outcomes: [Swift.Result<Result, Failure>?]
        var next = 0
        let lock = NSLock()
        let finished = DispatchSemaphore(value: 0)

        init(items: [Item], transform: @escaping (Item) throws(Failure) -> Result) {
            self.items = items
            self.transform = transform
            outcomes = Array(repeating: nil, count: items.count)
        }

        func drain() {
            while true {
                lock.lock()
                let index = next
                next += 1
                lock.unlock()
                guard index < items.count else { break }
                let outcome: Swift.Result<Result, Failure>
                do throws(Failure) { outcome = .success(try transform!(items[index])) } catch { outcome = .failure(error) }
                lock.lock()
                outcomes[index] = outcome
                lock.unlock()
            }
            finished.signal()
        }
    }
}
