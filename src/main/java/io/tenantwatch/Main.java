package io.tenantwatch;

public final class Main {
  public static void main(String[] args) {
  }
}
