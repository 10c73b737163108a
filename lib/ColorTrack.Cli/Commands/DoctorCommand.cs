using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ColorTrack.Model;
using ColorTrack.Runtime;
using TorchSharp;

namespace ColorTrack.Cli.Commands;

/// <summary>`colortrack doctor`: is the native stack usable here, and what will be used.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var cmd = new Command("doctor", "Check .NET, TorchSharp/libtorch and OpenCV, and print the compute device that will be used.");
        cmd.SetAction(_ => Run());
        return cmd;
    }

    static int Run()
    {
        Console.WriteLine($".NET         {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
        Console.WriteLine($"TorchSharp   {TorchRuntime.TorchSharpVersion} (backend built: {ComputeDevice.BuildBackend})");

        TorchRuntime.EnsureLoaded(); // throws NativeLibraryUnavailableException -> one line, exit 3
        Console.WriteLine($"libtorch     {TorchRuntime.LibTorchVersion} loaded from {TorchRuntime.NativeDirectory ?? "the app's native search path"}");
        var device = ComputeDevice.Resolve("auto");
        var deviceText = device.type == DeviceType.CUDA ? $"cuda ({GpuName() ?? "NVIDIA GPU"})" : "cpu";
        Console.WriteLine($"device       {deviceText}");
        Console.WriteLine($"threads      {torch.get_num_threads()} torch threads on {Environment.ProcessorCount} cores");

        var opencv = OpenCvRuntime.EnsureLoaded(); // throws -> one line, exit 3
        Console.WriteLine($"OpenCV       {opencv} loaded");
        Console.WriteLine($"model        {ShippedModelStatus()}");
        Console.WriteLine($"mpi          {(Mpi.World is { } w ? $"rank {w.Rank} of {w.Size} (local {w.LocalRank} of {w.LocalSize}), {w.Library}" : Mpi.Launched ? "launched, but not started" : "one process (not started by mpiexec or srun)")}");
        Console.WriteLine("ok");
        return 0;
    }

    /// <summary>The shipped model, hash-checked; a bad one is an error (exit 2), a missing one only a note.</summary>
    static string ShippedModelStatus()
    {
        if (ShippedModel.FindManifest() is not { } path || !File.Exists(path)) return "no shipped model (models/manifest.json not found; track needs --checkpoint or an --encoder)";
        var (manifest, checkpoint) = ShippedModel.Load();
        return $"{checkpoint} ({manifest.Preset}, {manifest.Steps} steps, SHA-256 ok)";
    }

    static string? GpuName()
    {
        try
        {
            var psi = new ProcessStartInfo("nvidia-smi", "--query-gpu=name --format=csv,noheader") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var name = p.StandardOutput.ReadLine();
            p.WaitForExit(5000);
            return string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        }
        catch { return null; }
    }
}
