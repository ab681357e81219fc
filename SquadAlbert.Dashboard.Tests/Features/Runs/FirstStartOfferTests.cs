using SquadAlbert.Analysis.Configuration;
using SquadAlbert.Analysis.Tests;
using SquadAlbert.Dashboard.Features.Runs;

namespace SquadAlbert.Dashboard.Tests.Features.Runs;

public sealed class FirstStartOfferTests : IDisposable
{
    private readonly RunsWorkspace _workspace = new(withModel: false);

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("minilm-squad")]
    [InlineData("albert-squad-small")]
    public void The_shipped_models_of_either_family_are_ready_for_the_first_run(string shipped)
    {
        var folder = Path.Combine(TestPaths.RepoRoot, "models", shipped);
        var model = new ResolvedSetting(folder, SettingSource.Default, "the shipped model");

        var offer = FirstStartOffer.Evaluate(0, model, null, _workspace.Catalog.DataDirectory);

        Assert.Equal(FirstStartKind.Ready, offer.Kind);
        Assert.Null(offer.Download);
    }

    [Fact]
    public void A_folder_without_a_tokenizer_names_both_families_files()
    {
        Directory.CreateDirectory(_workspace.ModelFolder);
        var model = new ResolvedSetting(_workspace.ModelFolder, SettingSource.Configuration, "SquadAlbert:ModelDirectory");

        var offer = FirstStartOffer.Evaluate(0, model, null, _workspace.Catalog.DataDirectory);

        Assert.Equal(FirstStartKind.MissingModel, offer.Kind);
        Assert.Contains("has no tokenizer", offer.Problem, StringComparison.Ordinal);
        Assert.Contains("spiece.model (ALBERT) or vocab.txt (BERT)", offer.Problem, StringComparison.Ordinal);
    }
}
