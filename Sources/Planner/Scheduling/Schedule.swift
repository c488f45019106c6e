import RuleEngine

/// Seat assignment for admitted reviews (steps 5 and 6 of `Planner`). Slots are meeting
/// indices, one per job, in the jobs' order.
enum Schedule {
    /// Earliest deadline first (after any overdue follow-ups): jobs by deadline (review-by or follow-up date) (none last, ties by priority), each to
    /// the earliest meeting in its window with a free seat and room for its lead officer.
    /// nil when some job finds no such meeting.
    static func place(_ jobs: [Job], meetings: [PlanPolicy.Meeting], officerLimit: Int?) -> [Int]? {
        let order = jobs.indices.sorted { a, b in
            // Overdue follow-ups are seated first, whatever their deadline.
            let x = jobs[a].followUp?.overdue ?? false, y = jobs[b].followUp?.overdue ?? false
            if x != y { return x }
            switch (jobs[a].deadline, jobs[b].deadline) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return jobs[a].rank < jobs[b].rank
            }
        }
        var seats = Seats(meetings: meetings, officerLimit: officerLimit)
        var slots = [Int](repeating: -1, count: jobs.count)
        for j in order {
            guard let m = meetings.indices.first(where: { seats.canTake(jobs[j], at: $0) }) else { return nil }
            seats.add(jobs[j], at: m)
            slots[j] = m
        }
        return slots
    }

    /// Reorders a feasible placement towards priority order without leaving any window:
    /// moves a review to an earlier meeting with a free seat, and exchanges a lower-priority
    /// review at an earlier meeting with a higher-priority one at a later meeting when both
    /// fit the other's meeting. Each step lowers the total of meeting positions or, keeping
    /// it, moves priority earlier, so the loop ends.
    static func improve(_ slots: inout [Int], _ jobs: [Job], meetings: [PlanPolicy.Meeting], officerLimit: Int) {
        var seats = Seats(meetings: meetings, officerLimit: officerLimit)
        for j in jobs.indices { seats.add(jobs[j], at: slots[j]) }
        var changed = true
        while changed {
            changed = false
            for j in jobs.indices.sorted(by: { slots[$0] != slots[$1] ? slots[$0] < slots[$1] : jobs[$0].rank < jobs[$1].rank }) {
                seats.remove(jobs[j], at: slots[j])
                if let earlier = (0..<slots[j]).first(where: { seats.canTake(jobs[j], at: $0) }) {
                    slots[j] = earlier
                    changed = true
                }
                seats.add(jobs[j], at: slots[j])
            }
            let lowFirst = jobs.indices.sorted { slots[$0] != slots[$1] ? slots[$0] < slots[$1] : jobs[$0].rank > jobs[$1].rank }
            let highFirst = jobs.indices.sorted { jobs[$0].rank < jobs[$1].rank }
            search: for a in lowFirst {
                for b in highFirst where jobs[b].rank < jobs[a].rank && slots[b] > slots[a] {
                    let i = slots[a], k = slots[b]
                    guard jobs[b].fits(meetings[i].date), jobs[a].fits(meetings[k].date) else { continue }
                    seats.remove(jobs[a], at: i)
                    seats.remove(jobs[b], at: k)
                    if seats.canTake(jobs[b], at: i) && seats.canTake(jobs[a], at: k) {
                        seats.add(jobs[b], at: i)
                        seats.add(jobs[a], at: k)
                        slots[a] = k
                        slots[b] = i
                        changed = true
                        break search
                    }
                    seats.add(jobs[a], at: i)
                    seats.add(jobs[b], at: k)
                }
            }
        }
    }
}

/// Seats taken per meeting and reviews led per officer per meeting.
struct Seats {
    let meetings: [PlanPolicy.Meeting]
    let officerLimit: Int?
    private(set) var used: [Int]
    private var led: [[String: Int]]

    init(meetings: [PlanPolicy.Meeting], officerLimit: Int?) {
        self.meetings = meetings
        self.officerLimit = officerLimit
        used = Array(repeating: 0, count: meetings.count)
        led = Array(repeating: [:], count: meetings.count)
    }

    /// Seats taken by `jobs` at `slots`.
    init(meetings: [PlanPolicy.Meeting], officerLimit: Int?, jobs: [Job], slots: [Int]) {
        self.init(meetings: meetings, officerLimit: officerLimit)
        for (job, slot) in zip(jobs, slots) { add(job, at: slot) }
    }

    /// The earliest meeting that can take the job now.
    func firstSeat(for job: Job) -> Int? {
        meetings.indices.first { canTake(job, at: $0) }
    }

    func canTake(_ job: Job, at m: Int) -> Bool {
        guard used[m] < meetings[m].capacity, job.fits(meetings[m].date) else { return false }
        guard let limit = officerLimit else { return true }
        return job.officerKeys.allSatisfy { led[m][$0, default: 0] < limit }
    }

    mutating func add(_ job: Job, at m: Int) {
        used[m] += 1
        for officer in job.officerKeys { led[m][officer, default: 0] += 1 }
    }

    mutating func remove(_ job: Job, at m: Int) {
        used[m] -= 1
        for officer in job.officerKeys { led[m][officer, default: 0] -= 1 }
    }
}
