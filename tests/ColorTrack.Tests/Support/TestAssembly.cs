// libtorch state (threads, RNG, allocator) is global: torch tests must never run in parallel.
// Tests are cheap enough on 2 cores that the whole assembly runs serially.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
