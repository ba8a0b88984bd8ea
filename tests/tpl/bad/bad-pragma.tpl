{{% param version: float }}
{{% context cobol }}
