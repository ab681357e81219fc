namespace SquadAlbert.Analysis.Data;

/// <summary>A file published by the SQuAD authors, with the size and hash that identify the official copy.</summary>
public sealed record SquadOfficialFile(string FileName, Uri Url, long Length, string Sha256);

/// <summary>Names of the SQuAD files in the data folder and the official downloads.</summary>
public static class SquadFiles
{
    public const string DevV11 = "dev-v1.1.json";
    public const string TrainV11 = "train-v1.1.json";
    public const string DevV20 = "dev-v2.0.json";
    public const string TrainV20 = "train-v2.0.json";

    public static SquadOfficialFile OfficialDevV11 { get; } = new(
        DevV11,
        new Uri("https://rajpurkar.github.io/SQuAD-explorer/dataset/dev-v1.1.json"),
        4_854_279,
        "95aa6a52d5d6a735563366753ca50492a658031da74f301ac5238b03966972c9");

    public static SquadOfficialFile OfficialTrainV11 { get; } = new(
        TrainV11,
        new Uri("https://rajpurkar.github.io/SQuAD-explorer/dataset/train-v1.1.json"),
        30_288_272,
        "3527663986b8295af4f7fcdff1ba1ff3f72d07d61a20f487cb238a6ef92fd955");

    public static IReadOnlyList<SquadOfficialFile> OfficialV11 { get; } = [OfficialDevV11, OfficialTrainV11];
}
