using ColorTrack.Contracts;
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
        var smooth = MovingAverage(loss, window);
        var raw = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: steps, y: loss, Name: "loss", Opacity: 0.35);
        var avg = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: steps, y: smooth, Name: $"moving average ({window} steps)");
        var uniform = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { steps.FirstOrDefault(), steps.LastOrDefault() },
            y: new[] { Math.Log(bins), Math.Log(bins) }, Name: $"ln {bins} (uniform guess)");
        return Plotly.NET.CSharp.Chart.Combine(new[] { raw, avg, uniform })
            .Titled("Colorization loss", "step", "cross-entropy (nats)");
    }

    /// <summary>
    /// A regression objective's loss (Huber on Lab colours; no chance level like ln K): per step and
    /// its moving average.
    /// </summary>
    public static GenericChart RegressionLossCurve(IReadOnlyList<TrainingProgress> log, int window = 25)
    {
        var steps = log.Select(p => (double)p.Step).ToArray();
        var loss = log.Select(p => p.Loss).ToArray();
        var smooth = MovingAverage(loss, window);
        var raw = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: steps, y: loss, Name: "loss", Opacity: 0.35);
        var avg = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: steps, y: smooth, Name: $"moving average ({window} steps)");
        return Plotly.NET.CSharp.Chart.Combine(new[] { raw, avg }).Titled("Colour-regression loss", "step", "Huber loss (network colour scale)");
    }

    static double[] MovingAverage(double[] v, int window)
    {
        var smooth = new double[v.Length];
        double sum = 0;
        for (int i = 0; i < v.Length; i++)
        {
            sum += v[i];
            if (i >= window) sum -= v[i - window];
            smooth[i] = sum / Math.Min(i + 1, window);
        }
        return smooth;
    }

    /// <summary>
    /// Tracker quality over training: validation J&amp;F (and J, F) at each validated step, with
    /// horizontal reference lines (e.g. identity and optical flow on the same frames). With the run's
    /// <paramref name="log"/>, the x axis is CPU-hours (training wall time at each validated step x
    /// <paramref name="cores"/>) instead of steps: what the run cost to get there.
    /// </summary>
    public static GenericChart ValidationCurve(IReadOnlyList<(long Step, ValidationScore Score)> scores, IReadOnlyDictionary<string, double>? references = null,
        IReadOnlyList<TrainingProgress>? log = null, int cores = 1)
    {
        double CpuHours(long step) => (log!.LastOrDefault(p => p.Step <= step)?.WallSeconds ?? 0) * cores / 3600;
        var steps = scores.Select(s => log is null ? s.Step : CpuHours(s.Step)).ToArray();
        var lines = new List<GenericChart>
        {
            Plotly.NET.CSharp.Chart.Line<double, double, string>(x: steps, y: scores.Select(s => s.Score.JAndF).ToArray(), Name: "J&F-Mean", ShowMarkers: true),
            Plotly.NET.CSharp.Chart.Line<double, double, string>(x: steps, y: scores.Select(s => s.Score.J).ToArray(), Name: "J-Mean", Opacity: 0.5),
            Plotly.NET.CSharp.Chart.Line<double, double, string>(x: steps, y: scores.Select(s => s.Score.F).ToArray(), Name: "F-Mean", Opacity: 0.5),
        };
        foreach (var (name, value) in references ?? new Dictionary<string, double>())
            lines.Add(Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { steps.FirstOrDefault(), steps.LastOrDefault() }, y: new[] { value, value }, Name: name));
        return Plotly.NET.CSharp.Chart.Combine(lines).Titled("Validation while training (never trained on)",
            log is null ? "step" : $"CPU-hours (training wall time x {cores} cores)", "DAVIS J&F");
    }

    /// <summary>Learning rate and throughput (clips/s) over training.</summary>
    /// <summary>
    /// Clips per second over training: the median of each <paramref name="window"/> steps. A single
    /// step's rate swings with what else the machine does (and the data loader's waits), so the raw
    /// series is noise; the running median shows the level and when it changed (e.g. a resume with
    /// other options, or another job on the cores).
    /// </summary>
    public static GenericChart Throughput(IReadOnlyList<TrainingProgress> log, int window = 25)
    {
        var x = new List<double>(); var y = new List<double>();
        for (int i = 0; i + window <= log.Count; i += window)
        {
            var chunk = log.Skip(i).Take(window).Select(p => p.ClipsPerSecond).Order().ToList();
            x.Add(log[i + window / 2].Step);
            y.Add(chunk[chunk.Count / 2]);
        }
        return Plotly.NET.CSharp.Chart.Line<double, double, string>(x: x, y: y, Name: $"clips/s (median of {window} steps)", ShowMarkers: true)
            .Titled($"Training throughput (median of every {window} steps)", "step", "clips per second");
    }

    public static GenericChart LearningRate(IReadOnlyList<TrainingProgress> log) =>
        Plotly.NET.CSharp.Chart.Line<double, double, string>(x: log.Select(p => (double)p.Step).ToArray(), y: log.Select(p => p.LearningRate).ToArray(), Name: "learning rate")
            .Titled("Learning-rate schedule", "step", "learning rate");
}
