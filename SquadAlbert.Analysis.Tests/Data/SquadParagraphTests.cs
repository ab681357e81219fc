using SquadAlbert.Analysis.Data;

namespace SquadAlbert.Analysis.Tests.Data;

public class SquadParagraphTests
{
    [Fact]
    public void Groups_questions_by_paragraph_in_file_order_with_the_context_first_in_texts()
    {
        var dataset = SquadLoader.Load(TestPaths.Fixture(Path.Combine("squad", "valid-v1.1.json")));

        var paragraphs = SquadParagraph.Group(dataset.Examples);

        Assert.Equal(["The cat sat on the mat. The cat was happy.", "Dogs bark loudly.", "Café au lait is coffee with milk."], paragraphs.Select(p => p.Context));
        Assert.Equal(["a-0-0", "a-0-1"], paragraphs[0].Questions.Select(q => q.Id));
        Assert.Equal(["The cat sat on the mat. The cat was happy.", "Who sat on the mat?", "Where did the cat sit?"], paragraphs[0].Texts);
    }

    [Fact]
    public void Equal_contexts_in_different_paragraphs_stay_apart()
    {
        static SquadExample Question(string id, int article, int paragraph) =>
            new(id, "T", "same context", "q " + id, [new SquadAnswer("same", 0)], false, new SquadLocation(article, paragraph, 0));

        var paragraphs = SquadParagraph.Group([Question("x", 0, 0), Question("y", 1, 0), Question("z", 0, 0)]);

        Assert.Equal(["x z", "y"], paragraphs.Select(p => string.Join(' ', p.Questions.Select(q => q.Id))));
    }
}
