# Runs the lifecycle unittest suite and prints TAP; exit status 1 when any test fails or errors.
import io
import os
import sys
import time
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)

import function_source  # noqa: E402


class TapResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.count = 0

    # The functions' own prints are kept out of the TAP stream and shown only with a failure.
    def startTest(self, test):
        super().startTest(test)
        sys.stdout = io.StringIO()

    def stopTest(self, test):
        super().stopTest(test)
        sys.stdout = sys.__stdout__

    def report(self, test, ok, detail=""):
        self.count += 1
        name = test.id().split(".", 1)[-1] if hasattr(test, "id") else str(test)
        if not ok and isinstance(sys.stdout, io.StringIO):
            detail += "\noutput:\n" + sys.stdout.getvalue()
        print(f"{'ok' if ok else 'not ok'} {self.count} - {name}", file=sys.__stdout__, flush=True)
        for line in detail.rstrip().splitlines():
            print(f"# {line}", file=sys.__stdout__)

    def addSuccess(self, test):
        super().addSuccess(test)
        self.report(test, True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.report(test, False, self.failures[-1][1])

    def addError(self, test, err):
        super().addError(test, err)
        self.report(test, False, self.errors[-1][1])

    def addSkip(self, test, reason):
        # Nothing here may be skipped: a skip is a failure.
        super().addSkip(test, reason)
        self.report(test, False, f"skipped: {reason}")

    def addExpectedFailure(self, test, err):
        self.report(test, False, "expected failures are not allowed")

    def addUnexpectedSuccess(self, test):
        self.report(test, False, "unexpected success")


def main():
    try:  # without the template nothing below can run: one clear failure instead of one per test
        function_source.template_path()
    except function_source.TemplateError as e:
        print(f"not ok 1 - the generated cluster template is readable\n# {e}\n1..1")
        return 1
    pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
    suite = unittest.defaultTestLoader.discover(here, pattern=pattern, top_level_dir=here)
    result, start = TapResult(), time.time()
    suite.run(result)
    print(f"1..{result.count}")
    print(f"# {result.count} tests in {time.time() - start:.1f}s")
    return 0 if result.count and result.count == result.testsRun and result.wasSuccessful() and not result.skipped else 1


if __name__ == "__main__":
    sys.exit(main())
