"""jupyter_kernel_test (Debian's python3-jupyter-kernel-test) against the built C# kernel.

The kernelspec name comes from KG_TEST_KERNEL (the xunit side writes a kernelspec into a temporary
JUPYTER_PATH). Every test of the suite has a sample, so none is skipped.
"""
import os
import unittest

import jupyter_kernel_test


class CSharpKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("KG_TEST_KERNEL", ".net-csharp")
    language_name = "C#"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world");'
    code_stderr = 'Console.Error.WriteLine("hello, world");'

    completion_samples = [
        {"text": "Console.WriteL", "matches": {"WriteLine"}},
        {"text": "Math.Ma", "matches": {"Max", "MaxMagnitude"}},
        {"text": "%lsma", "matches": {"%lsmagic"}},
    ]

    complete_code_samples = ["1", "Console.WriteLine(1);", "var x = 1;", "if (true) { x++; }", "%lsmagic"]
    incomplete_code_samples = ["if (true) {", "Console.WriteLine(", "var list = new List<int> {"]
    invalid_code_samples = ["int x = ;", "int 5x = 1;", ")"]

    code_page_something = "Console.WriteLine?"

    code_generate_error = 'throw new InvalidOperationException("boom");'

    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": '"hello" + " " + "world"', "result": "hello world"},
        {"code": "new[] { 1, 2, 3 }.Sum()", "result": "6"},
    ]

    code_display_data = [
        {"code": 'display("<b>bold</b>", "text/html");', "mime": "text/html"},
        {"code": "display(42);", "mime": "text/plain"},
    ]

    code_history_pattern = "6?7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Console.WriteLine"

    code_clear_output = 'Console.WriteLine("gone"); ClearOutput();'


if __name__ == "__main__":
    unittest.main()
