using ColorTrack.Contracts;
using static TorchSharp.torch;

namespace ColorTrack.Baselines;

/// <summary>The paper's "Identity" baseline: every frame gets the first frame's labels.</summary>
public sealed class IdentityBaseline : ILabelTracker
{
    public string Name => "identity";

    public IEnumerable<Tensor> Track(IEnumerable<Tensor> frames, Tensor firstLabels)
    {
        bool first = true;
        foreach (var frame in frames)
        {
            frame.Dispose();
            if (first) { first = false; continue; }
            Tensor copy;
            using (NewDisposeScope()) copy = firstLabels.to(float32).clone().MoveToOuterDisposeScope(); // the cast is a temporary: inside a scope
            yield return copy;
        }
    }
}
