namespace ColorTrack.Datasets;

/// <summary>
/// A numeric MATLAB array read from a MAT file: its name, dimensions and real values as doubles in
/// MATLAB's column-major order (the first index varies fastest), plus the MATLAB class it was saved as
/// ("double", "single", "int32", ...).
/// </summary>
public sealed record MatArray(string Name, int[] Dims, double[] Data, string Class)
{
    /// <summary>The element at zero-based indices (one per dimension).</summary>
    public double this[params int[] index]
    {
        get
        {
            if (index.Length != Dims.Length) throw new ArgumentException($"{Name} has {Dims.Length} dimensions, got {index.Length} indices");
            int offset = 0, stride = 1;
            for (int d = 0; d < Dims.Length; d++)
            {
                if ((uint)index[d] >= (uint)Dims[d]) throw new IndexOutOfRangeException($"{Name}: index {index[d]} out of range for dimension {d} of size {Dims[d]}");
                offset += index[d] * stride;
                stride *= Dims[d];
            }
            return Data[offset];
        }
    }
}
