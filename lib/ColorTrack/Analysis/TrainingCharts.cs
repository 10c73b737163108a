using ColorTrack.Training;
using Plotly.NET;

namespace ColorTrack.Analysis;

/// <summary>Training curves from a run's metrics log (notebook 3, the demo report).</summary>
public static class TrainingCharts
{
    /// <summary>Loss per step (light) and its moving average (dark), with ln K — the loss of guessing uniformly over K bins.</summary>
    public static GenericChart LossCurve(IReadOnlyList<TrainingProgress> log, int bins = 16, int window = 25)
    {
        var steps = log.Select(p => (double)p.Step).ToArray();
        var loss = log.Select(p => p.Loss).ToArray();
        var smooth = new double[loss.Length];
        double sum = 0;
        for (int i = 0; i < loss.Length; i++)
        {
            sum += loss[i];
            if (i >= window) sum -= loss[i - window];
            smooth[i] = sum / Math.Min(i + 1, window);
        }
        var raw = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: steps, y: loss, Name: "loss", Opacity: 0.35);
        var avg = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: steps, y: smooth, Name: $"moving average ({window} steps)");
        var uniform = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { steps.FirstOrDefault(), steps.LastOrDefault() },
            y: new[] { Math.Log(bins), Math.Log(bins) }, Name: $"ln {bins} (uniform guess)");
        return Plotly.NET.CSharp.Chart.Combine(new[] { raw, avg, uniform })
            .Titled("Colorization loss", "step", "cross-entropy (nats)");
    }

    /// <summary>Learning rate and throughput (clips/s) over training.</summary>
    public static GenericChart Throughput(IReadOnlyList<TrainingProgress> log) =>
        Plotly.NET.CSharp.Chart.Line<double, double, string>(x: log.Select(p => (double)p.Step).ToArray(), y: log.Select(p => p.ClipsPerSecond).ToArray(), Name: "clips/s")
            .Titled("Training throughput", "step", "clips per second");

    public static GenericChart LearningRate(IReadOnlyList<TrainingProgress> log) =>
        Plotly.NET.CSharp.Chart.Line<double, double, string>(x: log.Select(p => (double)p.Step).ToArray(), y: log.Select(p => p.LearningRate).ToArray(), Name: "learning rate")
            .Titled("Learning-rate schedule", "step", "learning rate");
}
