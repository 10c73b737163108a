using System.Diagnostics;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using ColorTrack.Training;

namespace ColorTrack.Tests.Cli;

public class TrainCommandTests
{
    public TrainCommandTests() => TorchRuntime.EnsureLoaded();

    // One torch thread (see ColorizationTrainerTests: 2 threads crawl on a shared 2-core machine).
    static readonly Dictionary<string, string> OneThread = new() { ["OMP_NUM_THREADS"] = "1" };

    [Fact]
    public async Task TwoTrainers_OnOneFolder_ExactlyOneRuns_TheOtherRefusesBeforeWriting()
    {
        using var dir = new TempDir();
        var run = dir["run"];
        static Task<CliProcess.Result> Start(string run, int seed) => Task.Run(() => CliProcess.Run(
            ["train", "--preset", "tiny", "--steps", "40", "--batch", "2", "--synthetic-videos", "3", "--out", run, "--seed", seed.ToString()], OneThread));
        var a = Start(run, 11);
        var b = Start(run, 22);
        var results = new[] { (Seed: 11, R: await a), (Seed: 22, R: await b) };
        var winners = results.Where(x => x.R.ExitCode == 0).ToList();
        var winner = Assert.Single(winners);
        var loser = results.Single(x => x.R.ExitCode != 0);
        Assert.Equal(2, loser.R.ExitCode);
        var line = Assert.Single(loser.R.StderrLines);
        Assert.True(line.Contains("in use by another colortrack process") || line.Contains("already holds a training run"), line);
        // The folder holds the runner's settings and nothing of the loser's.
        Assert.Equal((long)winner.Seed, TrainingRun.Load(run).Training.Seed);
        using var ck = ColorizationCheckpoint.Load(Path.Combine(run, ColorizationCheckpoint.FileName));
        Assert.Equal(40, ck.Step);
    }

    [Fact]
    public void RunFolderLock_IsExclusive_AndReleasedOnDispose()
    {
        using var dir = new TempDir();
        var run = dir["run"];
        using (RunFolderLock.Acquire(run))
        {
            var e = Assert.Throws<BadInputException>(() => RunFolderLock.Acquire(run));
            Assert.Contains("in use", e.Problem);
        }
        using (RunFolderLock.Acquire(run)) { } // free again
    }

    [Fact]
    public void Train_OnSyntheticVideos_WritesARunFolder_ThenResumeExtendsIt()
    {
        using var dir = new TempDir();
        var run = dir["run"];
        var r = CliProcess.Run(["train", "--preset", "tiny", "--steps", "3", "--batch", "2", "--synthetic-videos", "3", "--out", run, "--seed", "5"], OneThread);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        foreach (var f in new[] { "bins.json", "run.json", "config.json", "provenance.json", "metrics.jsonl", "summary.json", ColorizationCheckpoint.FileName })
            Assert.True(File.Exists(Path.Combine(run, f)), f);
        Assert.Equal(3, MetricsLog.Read(run).Count);

        r = CliProcess.Run(["train", "--out", run, "--resume", "--steps", "5"], OneThread);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Equal([1L, 2, 3, 4, 5], MetricsLog.Read(run).Select(p => p.Step));
        using var ck = ColorizationCheckpoint.Load(Path.Combine(run, ColorizationCheckpoint.FileName));
        Assert.Equal(5, ck.Step);
        Assert.Equal("tiny", ck.Preset.Name);
        Assert.Equal(16 * 2, ck.Centroids.Length);

        // Starting again into the same folder without --resume is refused, not overwritten.
        r = CliProcess.Run(["train", "--preset", "tiny", "--steps", "3", "--out", run]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--resume", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void Train_BadPresetOrMissingBins_IsOneLineBadInput()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(["train", "--preset", "huge", "--steps", "3", "--out", dir["run"]]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown preset 'huge'", Assert.Single(r.StderrLines));
        r = CliProcess.Run(["train", "--videos", dir.Path, "--steps", "3", "--out", dir["run2"]]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--bins", Assert.Single(r.StderrLines));
    }

    [Theory]
    [InlineData("KILL", 137)] // no chance to clean up: the checkpoint on disk must still be whole
    [InlineData("TERM", 130)] // graceful: the current step finishes and is saved
    public void Train_KilledMidRun_LeavesALoadableCheckpoint_AndResumes(string signal, int expectedExit)
    {
        using var dir = new TempDir();
        var run = dir["run"];
        var cli = Path.Combine(AppContext.BaseDirectory, "ColorTrack.Cli.dll");
        // A checkpoint every step, so the kill lands in or near a checkpoint write. A small shell script
        // starts the run, waits for 3 logged steps and sends the signal.
        var script = $"dotnet '{cli}' train --preset tiny --steps 100000 --batch 2 --synthetic-videos 2 --checkpoint-every 1 --out '{run}' >/dev/null 2>&1 & pid=$!; " +
                     $"for i in $(seq 1 2400); do [ -f '{run}/{MetricsLog.FileName}' ] && [ $(wc -l < '{run}/{MetricsLog.FileName}') -ge 3 ] && break; sleep 0.05; done; " +
                     $"kill -{signal} $pid; wait $pid; echo exit=$?";
        var psi = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (k, v) in OneThread) psi.Environment[k] = v;
        psi.Environment["NO_COLOR"] = "1";
        using (var p = Process.Start(psi)!)
        {
            var stderr = new System.Text.StringBuilder(); // bash's "Killed" job notice
            p.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
            p.BeginErrorReadLine();
            var output = p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(180_000));
            Assert.True(output.Contains($"exit={expectedExit}"), $"{output} {stderr}");
        }

        long step;
        using (var ck = ColorizationCheckpoint.Load(Path.Combine(run, ColorizationCheckpoint.FileName)))
            step = ck.Step;
        Assert.True(step >= 2, $"checkpoint at step {step}");
        if (signal == "TERM") Assert.Equal(MetricsLog.Read(run).Count, step); // the last step done was saved

        var r = CliProcess.Run(["train", "--out", run, "--resume", "--steps", (step + 2).ToString()], OneThread);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Equal(Enumerable.Range(1, (int)step + 2).Select(i => (long)i), MetricsLog.Read(run).Select(m => m.Step));
    }
}
