"""The visit counter: page views, site views and daily-unique visitors."""
