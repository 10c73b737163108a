namespace ColorTrack.Contracts;

/// <summary>One validation: the headline score (J&amp;F-Mean), its parts, and how long it took.</summary>
public sealed record ValidationScore(double JAndF, double J, double F, double Seconds);
