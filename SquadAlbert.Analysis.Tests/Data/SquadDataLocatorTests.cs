using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Tests.Data;

public class SquadDataLocatorTests
{
    private static Func<string, string?> Environment(string? value) =>
        name => name == SquadDataLocator.EnvironmentVariable ? value : null;

    [Fact]
    public void Command_line_beats_environment_beats_configuration_beats_default()
    {
        var root = Path.GetTempPath();
        string Dir(string name) => Path.Combine(root, name);

        Assert.Equal((Dir("cli"), DataDirectorySource.CommandLine), Pick(SquadDataLocator.Resolve(Dir("cli"), Dir("config"), Environment(Dir("env")))));
        Assert.Equal((Dir("env"), DataDirectorySource.EnvironmentVariable), Pick(SquadDataLocator.Resolve(null, Dir("config"), Environment(Dir("env")))));
        Assert.Equal((Dir("config"), DataDirectorySource.Configuration), Pick(SquadDataLocator.Resolve("  ", Dir("config"), Environment(""))));
        Assert.Equal((SquadDataLocator.UserDefaultDirectory, DataDirectorySource.UserDefault), Pick(SquadDataLocator.Resolve(null, null, Environment(null))));
        Assert.EndsWith(Path.Combine("squad-albert", "data"), SquadDataLocator.UserDefaultDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_folders_become_absolute() =>
        Assert.Equal(Path.GetFullPath("some-data"), SquadDataLocator.Resolve("some-data", null, Environment(null)).Path);

    [Fact]
    public void A_file_in_the_folder_resolves_to_its_full_path()
    {
        var directory = SquadDataLocator.Resolve(TestPaths.SquadDir, null, Environment(null));

        Assert.Equal(Path.Combine(TestPaths.SquadDir, SquadFiles.DevV11), directory.FindFile(SquadFiles.DevV11));
    }

    [Fact]
    public void A_missing_file_message_says_where_it_looked_and_what_else_was_considered()
    {
        var folder = Path.Combine(Path.GetTempPath(), "squad-albert-empty-" + Guid.NewGuid().ToString("N"));
        var directory = SquadDataLocator.Resolve(null, "/config/dir", Environment(folder));

        var error = Assert.Throws<InputException>(() => directory.FindFile(SquadFiles.TrainV11));

        Assert.Equal(
            $"SQuAD file 'train-v1.1.json' not found: looked in '{folder}' (from SQUADALBERT_DATA). " +
            $"The data folder is the first of: --data (not set), SQUADALBERT_DATA ({folder}), SquadAlbert:DataDirectory (/config/dir), per-user default ({SquadDataLocator.UserDefaultDirectory}). " +
            "Run 'squad-albert download' or point one of these at a folder holding the file.",
            error.Message);
    }

    private static (string, DataDirectorySource) Pick(SquadDataDirectory directory) => (directory.Path, directory.Source);
}
