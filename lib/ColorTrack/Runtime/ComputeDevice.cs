using TorchSharp;

namespace ColorTrack.Runtime;

/// <summary>Chooses the torch device from a user's word: auto (cuda when present), cpu or cuda[:N].</summary>
public static class ComputeDevice
{
    public static torch.Device Resolve(string? name = "auto")
    {
        TorchRuntime.EnsureLoaded();
        name = string.IsNullOrWhiteSpace(name) ? "auto" : name.Trim().ToLowerInvariant();
        // Under MPI each rank of a machine takes its own GPU: cuda:<local rank> (modulo the GPUs there).
        if (name == "auto") return !CudaAvailable ? torch.CPU : Mpi.World is { } w ? new torch.Device(DeviceType.CUDA, w.LocalRank % Math.Max(1, torch.cuda.device_count())) : torch.CUDA;
        if (name == "cpu") return torch.CPU;
        if (name.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!CudaAvailable)
                throw BadInputException.Setting("ComputeDevice.Name", $"'{name}' asked for, but no CUDA device is available (this build uses the {BuildBackend} backend; build with -p:TorchBackend=cuda on a machine with an NVIDIA GPU)");
            if (name == "cuda" && Mpi.World is { } world) return new torch.Device(DeviceType.CUDA, world.LocalRank % Math.Max(1, torch.cuda.device_count()));
            return new torch.Device(name);
        }
        throw BadInputException.Setting("ComputeDevice.Name", $"unknown device '{name}' (use auto, cpu or cuda)");
    }

    public static bool CudaAvailable
    {
        get
        {
            TorchRuntime.EnsureLoaded();
            try { return torch.cuda.is_available(); } catch { return false; }
        }
    }

    /// <summary>The native backend this build was compiled for (the TorchBackend build property).</summary>
    public static string BuildBackend =>
#if TORCH_CUDA
        "cuda";
#else
        "cpu";
#endif
}
