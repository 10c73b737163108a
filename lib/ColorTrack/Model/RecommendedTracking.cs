namespace ColorTrack.Model;

/// <summary>
/// Tracking options chosen for a shipped model on the DAVIS-2016 train sequences (the propagation
/// layer turns them into its settings): the frame scale the model tracks at and the label
/// propagation options.
/// </summary>
/// <param name="Scale">Frames are resized by this factor before embedding (masks come back at full size).</param>
/// <param name="Temperature">Softmax temperature.</param>
/// <param name="Window">Previous frames used as references.</param>
/// <param name="TopK">Affinities kept per location (0 = all).</param>
/// <param name="Radius">Search radius in feature cells (0 = unrestricted).</param>
/// <param name="LongTermMemory">The first frame stays a reference.</param>
/// <param name="L2Normalize">Cosine affinities.</param>
public sealed record RecommendedTracking(
    double Scale, double Temperature, int Window, int TopK, double Radius, bool LongTermMemory, bool L2Normalize);
