using System.Runtime;

namespace ColorTrack.Runtime;

/// <summary>
/// Runs code during which no garbage collection starts, for TorchSharp code we cannot change that
/// makes temporary Scalars (see <see cref="Scalars"/>): its optimizers' step() is the one we call
/// (Adam's update passes <c>1 - beta</c> and the learning rate as temporaries, once per parameter).
/// Without a collection no finalizer can free those Scalars while libtorch reads them.
///
/// .NET guarantees the region only while the whole process allocates less than the budget in it
/// (here 64 MiB; an Adam step allocates a few hundred small objects). Past the budget the runtime
/// collects and leaves the region; that is detected and reported as <c>false</c>.
/// </summary>
public static class CollectionFreeRegion
{
    public const long BudgetBytes = 64L << 20;

    /// <summary>Runs <paramref name="action"/> in a no-GC region; false when this call did not hold one
    /// (inside another region, which then holds instead, or ended early by allocation past the budget).</summary>
    public static bool Run(Action action)
    {
        // Inside a region already, the outer one holds; trying again would end it (the runtime throws
        // and leaves the no-GC mode).
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) { action(); return false; }
        bool entered = GC.TryStartNoGCRegion(BudgetBytes); // collects first, to make room for the budget
        try { action(); }
        finally
        {
            if (entered)
            {
                if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
                else entered = false; // a collection ended the region early
            }
        }
        return entered;
    }
}
