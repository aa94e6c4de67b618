# The staging stack: invoke deploy --env staging passes this file.
environment = "staging"
