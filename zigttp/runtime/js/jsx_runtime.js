// JSX runtime: provided by the front end (issue 3). Placeholder until it lands.
