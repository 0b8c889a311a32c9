"""The one Markdown table writer the reports share."""

from advisor.markdown import markdown_table, numbers_after_first


def test_cells_are_stringified_and_chosen_columns_right_aligned():
    header = ["device", "rows", "MAPE"]
    lines = markdown_table(header, [["t4", 12, "8.3%"], ["a100", 3, None]], numbers_after_first(header))
    assert lines == ["| device | rows | MAPE |",
                     "| --- | ---: | ---: |",
                     "| t4 | 12 | 8.3% |",
                     "| a100 | 3 | None |"]


def test_alignment_follows_the_given_indices_only():
    lines = markdown_table(["a", "b", "c"], [], right=[0, 2])
    assert lines == ["| a | b | c |", "| ---: | --- | ---: |"]
