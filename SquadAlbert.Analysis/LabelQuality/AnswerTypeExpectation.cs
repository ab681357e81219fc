using SquadAlbert.Analysis.Metadata;

namespace SquadAlbert.Analysis.LabelQuality;

/// <summary>
/// Which answer types a question asks for, from the classifiers the clusters are named with
/// (<see cref="QuestionClassifier"/>, <see cref="AnswerTypeClassifier"/>): a "when" or "what year" question whose gold
/// is no year or date, a "how many" whose gold holds no number, a "who" or "where" answered by a number or a date,
/// point at a gold span taken from the wrong place. Only question types with a clear expectation have one; "what",
/// "which", "how", "why" and the rest accept every type.
/// </summary>
public static class AnswerTypeExpectation
{
    private static readonly AnswerType[] Temporal = [AnswerType.Year, AnswerType.Date];

    // A bare 1000–2099 is classified a year, so counts and amounts accept years too.
    private static readonly AnswerType[] Quantity = [AnswerType.Number, AnswerType.Percent, AnswerType.Money, AnswerType.Year];

    private static readonly AnswerType[] Named = [AnswerType.ProperNoun, AnswerType.Other];

    /// <summary>The answer types that fit <paramref name="type"/>; null when every type does.</summary>
    public static IReadOnlyList<AnswerType>? Expected(QuestionType type) => type switch
    {
        QuestionType.When or QuestionType.WhatYear => Temporal,
        QuestionType.HowMany or QuestionType.HowMuch => Quantity,
        QuestionType.Who or QuestionType.Whom or QuestionType.Whose or QuestionType.Where => Named,
        _ => null,
    };

    /// <summary>The share of <paramref name="goldTexts"/> whose answer type the question does not ask for, in [0, 1];
    /// 0 for questions without an expectation and for no golds.</summary>
    public static double Mismatch(string question, IReadOnlyList<string> goldTexts)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(goldTexts);
        if (goldTexts.Count == 0 || Expected(QuestionClassifier.Classify(question).Type) is not { } expected)
        {
            return 0;
        }
        return goldTexts.Count(text => !expected.Contains(AnswerTypeClassifier.Classify(text))) / (double)goldTexts.Count;
    }
}
