using System.Runtime.InteropServices;
using System.Text;

namespace ColorTrack.Runtime;

/// <summary>
/// The few MPI calls data-parallel training and tracking need, bound to the MPI library of the system
/// (Debian's <c>mpich</c>: libmpich.so.12, MPICH's ABI, which Intel MPI and Cray MPICH share) — a real
/// distributed engine launched by <c>mpiexec -n N</c> or SLURM's <c>srun</c>, not a home-made one.
///
/// Without a launcher nothing is loaded: <see cref="World"/> is null and every caller runs as one
/// process, exactly as without MPI. Under a launcher (its PMI_RANK/PMI_SIZE, or SLURM's task
/// variables) <see cref="Initialize"/> starts MPI once per process and every collective below is a
/// blocking call that all ranks make in the same order.
/// </summary>
public sealed partial class Mpi
{
    /// <summary>This process's rank, 0..Size-1; rank 0 writes the run's files.</summary>
    public int Rank { get; }

    /// <summary>Ranks in the job.</summary>
    public int Size { get; }

    /// <summary>This rank among the ranks on the same machine (picks its GPU), and how many share the machine (share its cores).</summary>
    public int LocalRank { get; }
    public int LocalSize { get; }

    /// <summary>The MPI library's own description (MPI_Get_library_version), first line.</summary>
    public string Library { get; }

    Mpi(int rank, int size, int localRank, int localSize, string library) =>
        (Rank, Size, LocalRank, LocalSize, Library) = (rank, size, localRank, localSize, library);

    static readonly object Gate = new();
    static Mpi? _world;
    static bool _tried;

    /// <summary>The job's world when this process was started by an MPI launcher with more than one rank, else null.</summary>
    public static Mpi? World
    {
        get { lock (Gate) return _world; }
    }

    /// <summary>Whether an MPI launcher started this process as one of several ranks (from its environment; nothing loaded).</summary>
    public static bool Launched => LaunchedSize() > 1;

    static int LaunchedSize()
    {
        foreach (var name in new[] { "PMI_SIZE", "PMIX_SIZE", "OMPI_COMM_WORLD_SIZE", "SLURM_NTASKS" })
            if (int.TryParse(Environment.GetEnvironmentVariable(name), out var n)) return n;
        return 1;
    }

    /// <summary>
    /// Start MPI when a launcher started this process as one of several ranks (once; later calls return
    /// the same world), else return null. Throws <see cref="NativeLibraryUnavailableException"/> with
    /// one line when the job was launched for MPI but the MPICH library cannot be loaded.
    /// </summary>
    public static Mpi? Initialize()
    {
        lock (Gate)
        {
            if (_tried) return _world;
            _tried = true;
            if (!Launched) return null;
            if (Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null)
                throw new NativeLibraryUnavailableException("launched by Open MPI's mpiexec, but colortrack speaks MPICH's ABI: install Debian's mpich and launch with its mpiexec (mpiexec.mpich)");
            if (!NativeLibrary.TryLoad(Native.LibraryPath, out _))
                throw new NativeLibraryUnavailableException($"launched as one of {LaunchedSize()} MPI ranks, but {Native.LibraryPath} does not load: install MPICH (Debian: apt-get install mpich)");
            Check(Native.Init(IntPtr.Zero, IntPtr.Zero), "MPI_Init");
            // Errors come back as return codes (a lost rank is reported in one line, not by MPI's abort banner).
            Native.CommSetErrhandler(Native.CommWorld, Native.ErrorsReturn);
            Check(Native.CommRank(Native.CommWorld, out var rank), "MPI_Comm_rank");
            Check(Native.CommSize(Native.CommWorld, out var size), "MPI_Comm_size");
            Check(Native.CommSplitType(Native.CommWorld, Native.CommTypeShared, rank, Native.InfoNull, out var node), "MPI_Comm_split_type");
            Check(Native.CommRank(node, out var localRank), "MPI_Comm_rank");
            Check(Native.CommSize(node, out var localSize), "MPI_Comm_size");
            var buffer = new byte[Native.MaxLibraryVersionString];
            Check(Native.GetLibraryVersion(buffer, out var length), "MPI_Get_library_version");
            var library = System.Text.RegularExpressions.Regex.Replace(ErrorText.FirstLine(Encoding.ASCII.GetString(buffer, 0, Math.Max(0, Math.Min(length, buffer.Length))).TrimEnd((char)0)), @"\s+", " ");
            _world = new Mpi(rank, size, localRank, localSize, library);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Native.Finalize();
            return _world;
        }
    }

    /// <summary>Sum <paramref name="count"/> float32 values at <paramref name="data"/> over all ranks, in place (every rank gets the sum).</summary>
    public void SumInPlace(IntPtr data, long count, string what)
    {
        for (long done = 0; done < count;)
        {
            var n = (int)Math.Min(int.MaxValue, count - done);
            Check(Native.Allreduce(Native.InPlace, data + (nint)(done * sizeof(float)), n, Native.Float, Native.Sum, Native.CommWorld), $"MPI_Allreduce ({what})");
            done += n;
        }
    }

    /// <summary>Sum doubles over all ranks, in place.</summary>
    public void SumInPlace(double[] values, string what)
    {
        var h = GCHandle.Alloc(values, GCHandleType.Pinned);
        try { Check(Native.Allreduce(Native.InPlace, h.AddrOfPinnedObject(), values.Length, Native.Double, Native.Sum, Native.CommWorld), $"MPI_Allreduce ({what})"); }
        finally { h.Free(); }
    }

    /// <summary>The largest of every rank's <paramref name="value"/>.</summary>
    public double Max(double value, string what)
    {
        var v = new[] { value };
        var h = GCHandle.Alloc(v, GCHandleType.Pinned);
        try { Check(Native.Allreduce(Native.InPlace, h.AddrOfPinnedObject(), 1, Native.Double, Native.Max, Native.CommWorld), $"MPI_Allreduce ({what})"); }
        finally { h.Free(); }
        return v[0];
    }

    /// <summary>Rank 0's <paramref name="count"/> bytes at <paramref name="data"/> to every rank.</summary>
    public void Broadcast(IntPtr data, int count, string what) =>
        Check(Native.Bcast(data, count, Native.Byte, 0, Native.CommWorld), $"MPI_Bcast ({what})");

    /// <summary>Wait until every rank has come here.</summary>
    public void Barrier(string what) => Check(Native.Barrier(Native.CommWorld), $"MPI_Barrier ({what})");

    /// <summary>End every rank of the job with <paramref name="code"/> (a rank that cannot go on).</summary>
    public void Abort(int code) => Native.Abort(Native.CommWorld, code);

    static void Check(int code, string call)
    {
        if (code == 0) return;
        var text = new byte[Native.MaxErrorString];
        var message = Native.ErrorString(code, text, out var length) == 0
            ? ErrorText.FirstLine(Encoding.ASCII.GetString(text, 0, Math.Clamp(length, 0, text.Length)))
            : $"error {code}";
        throw new MpiException($"{call} failed: {message} (a rank of the job has died or cannot be reached)");
    }

    /// <summary>MPICH's C interface (mpi.h of MPICH 4; the handles are ints in its ABI).</summary>
    static partial class Native
    {
        public const string LibraryPath = "libmpich.so.12";
        public const int CommWorld = 0x44000000, Float = 0x4c00040a, Double = 0x4c00080b, Byte = 0x4c00010d;
        public const int Sum = 0x58000003, Max = 0x58000001, InfoNull = 0x1c000000, CommTypeShared = 1, ErrorsReturn = 0x54000001;
        public const int MaxLibraryVersionString = 8192, MaxErrorString = 1024;
        public static readonly IntPtr InPlace = new(-1);

        [LibraryImport(LibraryPath, EntryPoint = "MPI_Init")] public static partial int Init(IntPtr argc, IntPtr argv);
        [LibraryImport(LibraryPath, EntryPoint = "MPI_Finalize")] public static partial int Finalize();
        [LibraryImport(LibraryPath, EntryPoint = "MPI_Comm_rank")] public static partial int CommRank(int comm, out int rank);
        [LibraryImport(LibraryPath, EntryPoint = "MPI_Comm_size")] public static partial int CommSize(int comm, out int size);
        [LibraryImport(LibraryPath, EntryPoint = "MPI_Comm_split_type")] public static partial int CommSplitType(int comm, int type, int key, int info, out int newComm);
        [LibraryImport(LibraryPath, EntryPoint = "MPI_Comm_set_errhandler")] public static partial int CommSetErrhandler(int comm, int handler);
        [LibraryImport(LibraryPath, EntryPoint = "MPI_Get_library_version")] public static partial int GetLibraryVersion([Out] byte[] version, out int length);
        [LibraryImport(LibraryPath, EntryPoint = "MPI_Error_string")] public static partial int ErrorString(int code, [Out] byte[] text, out int length);
        [LibraryImport(LibraryPath, EntryPoint = "MPI_Allreduce")] public static partial int Allreduce(IntPtr send, IntPtr receive, int count, int type, int op, int comm);
        [LibraryImport(LibraryPath, EntryPoint = "MPI_Bcast")] public static partial int Bcast(IntPtr buffer, int count, int type, int root, int comm);
        [LibraryImport(LibraryPath, EntryPoint = "MPI_Barrier")] public static partial int Barrier(int comm);
        [LibraryImport(LibraryPath, EntryPoint = "MPI_Abort")] public static partial int Abort(int comm, int code);
    }
}
